package io.hookwire.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until the test moves it, so grace periods, rate limits and schedules
 * are crossed by {@link #advance} rather than waited out. Starts at the real time, so timestamps it
 * produces still pass receivers' tolerance checks until it is moved far.
 */
public final class FakeClock extends Clock {
  private final AtomicReference<Instant> now;

  public FakeClock() {
    this(Instant.now());
  }

  public FakeClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  public void advance(Duration duration) {
    now.updateAndGet(t -> t.plus(duration));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a FakeClock is always UTC");
  }
}
