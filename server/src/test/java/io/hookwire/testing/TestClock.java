package io.hookwire.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The suite's one clock, in UTC and whole milliseconds, moved only by the test ({@link #advance},
 * {@link #set}), so grace periods, rate limits, schedules and dates are crossed or asserted exactly
 * rather than waited out. Two kinds:
 *
 * <ul>
 *   <li>{@link #standing}: stands still until moved, for exact dates and refills;
 *   <li>{@link #running}: the system time moved by what the test added, each reading at least 1 ms
 *       after the one before, for servers that deliver in real time: two events published one after
 *       the other are always distinctly ordered in the store.
 * </ul>
 */
public final class TestClock extends Clock {
  private final boolean running;

  /** Standing: the time. Running: what was added to the system time. */
  private final AtomicLong millis;

  private final AtomicLong lastReading = new AtomicLong(Long.MIN_VALUE);

  private TestClock(boolean running, long millis) {
    this.running = running;
    this.millis = new AtomicLong(millis);
  }

  /** A clock that stands at {@code start} until moved. */
  public static TestClock standing(Instant start) {
    return new TestClock(false, start.toEpochMilli());
  }

  /**
   * A clock that stands at the real time of its creation until moved, so that timestamps it makes
   * still pass receivers' tolerance checks.
   */
  public static TestClock standing() {
    return standing(Instant.now());
  }

  /** The system time, moved by what {@link #advance} adds. */
  public static TestClock running() {
    return new TestClock(true, 0);
  }

  /** Moves the clock forward (or back, for a negative amount). */
  public void advance(Duration by) {
    millis.addAndGet(by.toMillis());
  }

  /** Stands the clock at {@code instant} (a standing clock only). */
  public void set(Instant instant) {
    if (running) {
      throw new IllegalStateException("a running clock is moved by advance()");
    }
    millis.set(instant.toEpochMilli());
  }

  /** Stands the clock at a date as the API writes them: {@code 2017-05-23 14:07:18} (UTC). */
  public void set(String apiDate) {
    set(LocalDateTime.parse(apiDate.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
  }

  @Override
  public Instant instant() {
    if (!running) {
      return Instant.ofEpochMilli(millis.get());
    }
    long now = System.currentTimeMillis() + millis.get();
    return Instant.ofEpochMilli(lastReading.updateAndGet(last -> Math.max(last + 1, now)));
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
