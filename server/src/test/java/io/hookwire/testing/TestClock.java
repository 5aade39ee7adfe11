package io.hookwire.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system clock, moved by an offset the test sets ({@link #shift}), and in whole milliseconds
 * that never repeat: each reading is at least 1 ms after the one before. The store keeps times in
 * milliseconds, so two events published one after the other are always distinctly ordered.
 */
public final class TestClock extends Clock {
  private final AtomicLong offsetMillis = new AtomicLong();
  private final AtomicLong lastMillis = new AtomicLong(Long.MIN_VALUE);

  /** Moves the clock forward (or back, for a negative amount) from now on. */
  public void shift(Duration by) {
    offsetMillis.addAndGet(by.toMillis());
  }

  @Override
  public Instant instant() {
    long now = System.currentTimeMillis() + offsetMillis.get();
    return Instant.ofEpochMilli(lastMillis.updateAndGet(last -> Math.max(last + 1, now)));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a TestClock is always UTC");
  }
}
