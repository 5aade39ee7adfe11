package io.hookwire.core;

/**
 * A token bucket: up to {@code burst} tokens, refilled at {@code perSecond}; the time is the
 * caller's, in milliseconds, so tests can move it.
 */
public final class TokenBucket {
  private final double perSecond;
  private final double burst;
  private double tokens;
  private long updatedMs;

  public TokenBucket(double perSecond, double burst, long nowMs) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.tokens = burst;
    this.updatedMs = nowMs;
  }

  /** Takes a token if there is one. */
  public synchronized boolean tryTake(long nowMs) {
    refill(nowMs);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Whether a token is there to take, without taking it. */
  public synchronized boolean hasToken(long nowMs) {
    refill(nowMs);
    return tokens >= 1;
  }

  /** Whole seconds until a token will be there; 0 when one is. */
  public synchronized long secondsUntilToken(long nowMs) {
    refill(nowMs);
    return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perSecond);
  }

  /** Whether it is full again: nothing of its past matters any more, so it can be forgotten. */
  public synchronized boolean isFull(long nowMs) {
    refill(nowMs);
    return tokens >= burst;
  }

  private void refill(long nowMs) {
    if (nowMs > updatedMs) {
      tokens = Math.min(burst, tokens + (nowMs - updatedMs) / 1000.0 * perSecond);
      updatedMs = nowMs;
    }
  }
}
