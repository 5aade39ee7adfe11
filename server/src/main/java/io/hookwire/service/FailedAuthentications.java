package io.hookwire.service;

import io.hookwire.core.TokenBucket;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Throttles guessing: failed authentications are counted per client address and per account, each
 * in a token bucket, and a client that used up either budget is refused (429) without its
 * credentials being checked.
 *
 * <p>The right key is never kept out for long: an address that signed in to an account before is
 * always checked for it (a producer keeps publishing while someone else guesses its account's key),
 * and while only the account's budget is spent, an address is refused only after it has itself
 * failed for that account: a new address with the right key is checked and let in.
 */
final class FailedAuthentications {
  /** An account's budget against an address's: it is tried from many addresses. */
  static final int ACCOUNT_FACTOR = 5;

  /** How long a sign-in from an address vouches for it, and a failure counts against it. */
  static final long REMEMBER_MS = 24 * 3600 * 1000L;

  /** Entries kept per map at most; beyond it the oldest facts are forgotten first. */
  static final int CAPACITY = 100_000;

  private final LongSupplier millis;
  private final int limit;
  private final Map<String, TokenBucket> byAddress = new ConcurrentHashMap<>();
  private final Map<String, TokenBucket> byAccount = new ConcurrentHashMap<>();

  /** What an address last did for an account, and when (ms). */
  private record Seen(boolean succeeded, long atMs) {}

  /** By "address account". */
  private final Map<String, Seen> pairs = new ConcurrentHashMap<>();

  /**
   * @param limit failures an address may have at once, and again each minute; an account {@link
   *     #ACCOUNT_FACTOR} times as many; 0: nothing is throttled
   */
  FailedAuthentications(LongSupplier millis, int limit) {
    this.millis = millis;
    this.limit = limit;
  }

  /**
   * Whether {@code address} may try credentials for {@code accountId} now.
   *
   * @return empty if it may; else the whole seconds until it may try again
   */
  OptionalLong refusal(String address, String accountId) {
    if (limit == 0) {
      return OptionalLong.empty();
    }
    long now = millis.getAsLong();
    Seen last = pairs.get(pair(address, accountId));
    boolean recent = last != null && now - last.atMs() < REMEMBER_MS;
    if (recent && last.succeeded()) {
      return OptionalLong.empty();
    }
    TokenBucket forAddress = byAddress.get(address);
    if (forAddress != null && !forAddress.hasToken(now)) {
      return OptionalLong.of(Math.max(1, forAddress.secondsUntilToken(now)));
    }
    TokenBucket forAccount = byAccount.get(accountId);
    if (recent && forAccount != null && !forAccount.hasToken(now)) {
      return OptionalLong.of(Math.max(1, forAccount.secondsUntilToken(now)));
    }
    return OptionalLong.empty();
  }

  void failed(String address, String accountId) {
    if (limit == 0) {
      return;
    }
    long now = millis.getAsLong();
    bucket(byAddress, address, limit, now).tryTake(now);
    bucket(byAccount, accountId, limit * ACCOUNT_FACTOR, now).tryTake(now);
    remember(pair(address, accountId), new Seen(false, now));
  }

  void succeeded(String address, String accountId) {
    if (limit == 0) {
      return;
    }
    remember(pair(address, accountId), new Seen(true, millis.getAsLong()));
  }

  /** A budget of {@code perMinute} failures at once, refilled at as many a minute. */
  private TokenBucket bucket(
      Map<String, TokenBucket> buckets, String key, int perMinute, long now) {
    if (buckets.size() >= CAPACITY && !buckets.containsKey(key)) {
      // Full buckets remember nothing: forgetting them changes no answer.
      buckets.values().removeIf(b -> b.isFull(now));
      if (buckets.size() >= CAPACITY) {
        buckets.clear();
      }
    }
    return buckets.computeIfAbsent(key, k -> new TokenBucket(perMinute / 60.0, perMinute, now));
  }

  private void remember(String pair, Seen seen) {
    if (pairs.size() >= CAPACITY && !pairs.containsKey(pair)) {
      pairs.values().removeIf(t -> seen.atMs() - t.atMs() >= REMEMBER_MS);
      if (pairs.size() >= CAPACITY) {
        pairs.clear();
      }
    }
    pairs.put(pair, seen);
  }

  private static String pair(String address, String accountId) {
    return address + " " + accountId;
  }
}
