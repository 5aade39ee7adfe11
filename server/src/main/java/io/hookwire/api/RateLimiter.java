package io.hookwire.api;

import io.hookwire.core.TokenBucket;
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
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

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
    long now = clock.millis();
    TokenBucket bucket =
        buckets.computeIfAbsent(accountId, id -> new TokenBucket(perSecond, burst, now));
    return bucket.tryTake(now)
        ? OptionalLong.empty()
        : OptionalLong.of(Math.max(1, bucket.secondsUntilToken(now)));
  }
}
