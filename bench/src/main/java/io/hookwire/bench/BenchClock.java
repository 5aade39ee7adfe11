package io.hookwire.bench;

/**
 * Nanoseconds since the bench started. The publisher stamps events with it and the sink, in the
 * same process, reads it on arrival: one monotonic clock, and values small enough to survive the
 * event data's trip through JSON numbers (doubles) exactly.
 */
public final class BenchClock {
  private final long origin = System.nanoTime();

  public long nanos() {
    return System.nanoTime() - origin;
  }
}
