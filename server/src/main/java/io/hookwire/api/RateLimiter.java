package io.hookwire.api;

import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per account: {@code perSecond} requests a second on average, bursts up to {@code
 * burst}. Per node: with N nodes an account may reach N times the rate.
 */
public final class RateLimiter {
  private final double perSecond;
  private final double burst;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(double perSecond, double burst, Clock clock) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.clock = clock;
  }

  /** Takes a token; when none is left, the seconds until one will be. */
  public OptionalLong acquire(String accountId) {
    if (perSecond <= 0) {
      return OptionalLong.empty();
    }
    return buckets.computeIfAbsent(accountId, id -> new Bucket()).take(clock.millis());
  }

  private final class Bucket {
    private double tokens = burst;
    private long updated = -1;

    synchronized OptionalLong take(long nowMs) {
      if (updated >= 0) {
        tokens = Math.min(burst, tokens + (nowMs - updated) / 1000.0 * perSecond);
      }
      updated = nowMs;
      if (tokens >= 1) {
        tokens -= 1;
        return OptionalLong.empty();
      }
      return OptionalLong.of((long) Math.ceil((1 - tokens) / perSecond));
    }
  }
}
