package io.hookwire.service;

import io.hookwire.core.Account;
import io.hookwire.core.Ids;
import io.hookwire.security.ApiKeys;
import io.hookwire.store.Store;
import io.hookwire.store.StoredAccount;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP Basic authentication with {@code ACCOUNT_ID:API_KEY}, as Oktopost's API takes it.
 *
 * <p>Accounts read from the store are kept for {@link #CACHE_LIFE}, so a request with the right key
 * costs a SHA-256 and no query (the query and the hash were 8% of a publish's busy samples,
 * docs/performance.md). Only what the store said is kept, never a refusal: a key that does not
 * match, or an account the store does not have, is always asked of the store again, so a new
 * account and a key just rotated elsewhere work at once.
 */
public final class Auth {
  private static final Logger log = LoggerFactory.getLogger(Auth.class);

  /**
   * 5 s: how long this node trusts an account it read. A key replaced through {@link #rotateKey} is
   * refused on this node at once; replaced on another node or by {@code hookwire account
   * rotate-key}, it is refused here at the latest this long after (the command waits as long before
   * it returns). Long enough that a producer's steady stream costs one query per account per 5 s.
   */
  public static final Duration CACHE_LIFE = Duration.ofSeconds(5);

  /**
   * 10,000 accounts active within one cache life on one node: above any deployment this server is
   * meant for, and at about 300 bytes an entry, 3 MB at most. Beyond it, requests still
   * authenticate, through the store.
   */
  static final int CACHE_CAPACITY = 10_000;

  /** Compared against when the account does not exist, so both cases take the same time. */
  private static final String NO_SUCH_KEY = ApiKeys.hash("no such account");

  private final Store store;
  private final LongSupplier nanoTime;
  private final int capacity;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
  private final FailedAuthentications failures;

  /**
   * Bumped whenever a key is replaced through this node. An account read before the bump is not
   * trusted after it, even if that read finishes after the replacement and puts the old hash back
   * in the cache. All accounts are read again then; keys are replaced rarely.
   */
  private final AtomicLong generation = new AtomicLong();

  private record Cached(StoredAccount stored, long readNanos, long generation) {}

  /**
   * @param failedAuthLimit failed authentications a client address may have at once and per minute
   *     (an account five times as many); 0: not throttled
   */
  public Auth(Store store, int failedAuthLimit) {
    this(store, System::nanoTime, CACHE_CAPACITY, failedAuthLimit);
  }

  /**
   * @param nanoTime the clock of the cache's life, in nanoseconds as {@link System#nanoTime()}:
   *     tests move it by hand
   * @param capacity accounts kept at most
   */
  Auth(Store store, LongSupplier nanoTime, int capacity, int failedAuthLimit) {
    this.store = store;
    this.nanoTime = nanoTime;
    this.capacity = capacity;
    this.failures =
        new FailedAuthentications(() -> nanoTime.getAsLong() / 1_000_000, failedAuthLimit);
  }

  /** The account whose credentials these are, or empty. */
  public Optional<Account> authenticate(String accountId, String apiKey) {
    if (accountId == null || apiKey == null || apiKey.length() > 256) {
      return Optional.empty();
    }
    if (!Ids.ACCOUNT.matches(accountId)) {
      // Not an id at all (PostgreSQL would even refuse some, such as a NUL): no account has it.
      return Optional.empty();
    }
    return authenticateHash(accountId, ApiKeys.hash(apiKey));
  }

  /**
   * The account whose API key has the hash {@code presented}, or empty; decided as {@link
   * #authenticate} decides for the key itself, with the same cache. An admin session asks this of
   * the key it signed in with, on every request.
   */
  Optional<Account> authenticateHash(String accountId, String presented) {
    Cached cached = cache.get(accountId);
    if (cached != null
        && isFresh(cached)
        && ApiKeys.sameHash(presented, cached.stored().apiKeyHash())) {
      return Optional.of(cached.stored().account());
    }
    // Taken before the query: an entry is never trusted longer than CACHE_LIFE after the moment
    // the store could last have had the old key.
    long generationBefore = generation.get();
    long readNanos = nanoTime.getAsLong();
    Optional<StoredAccount> stored = store.findAccount(accountId);
    stored.ifPresent(s -> remember(accountId, new Cached(s, readNanos, generationBefore)));
    boolean matches =
        ApiKeys.sameHash(presented, stored.map(StoredAccount::apiKeyHash).orElse(NO_SUCH_KEY));
    return matches && stored.isPresent() ? stored.map(StoredAccount::account) : Optional.empty();
  }

  /** What became of a request's credentials. */
  public sealed interface Verdict {
    record Accepted(Account account) implements Verdict {}

    /** Wrong or missing credentials: 401. */
    record Refused() implements Verdict {}

    /** Too many failures from this address or for this account: 429, not checked. */
    record Throttled(long retryAfterSeconds) implements Verdict {}
  }

  /**
   * Checks credentials presented from {@code address}, throttling guesses ({@link
   * FailedAuthentications}) and logging each failure with the address and the account.
   */
  public Verdict check(String accountId, String apiKey, String address) {
    String account = accountId == null ? "" : accountId;
    OptionalLong wait = failures.refusal(address, account);
    if (wait.isPresent()) {
      log.debug("authentication throttled for {} from {}", printable(account), address);
      return new Verdict.Throttled(wait.getAsLong());
    }
    Optional<Account> found = authenticate(accountId, apiKey);
    if (found.isPresent()) {
      failures.succeeded(address, account);
      return new Verdict.Accepted(found.get());
    }
    failures.failed(address, account);
    log.warn("authentication failed for {} from {}", printable(account), address);
    return new Verdict.Refused();
  }

  /** As {@link #check(String, String, String)}, from an {@code Authorization: Basic} header. */
  public Verdict checkHeader(String authorizationHeader, String address) {
    if (authorizationHeader == null) {
      return new Verdict.Refused(); // nothing presented, nothing guessed
    }
    String decoded = "";
    if (authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(authorizationHeader.substring(6).strip()),
                StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        // checked below as no credentials
      }
    }
    int colon = decoded.indexOf(':');
    return colon < 0
        ? check(null, null, address)
        : check(decoded.substring(0, colon), decoded.substring(colon + 1), address);
  }

  /** An account id for a log line: what was presented if it is one, else no attacker's text. */
  private static String printable(String accountId) {
    return Ids.ACCOUNT.matches(accountId) ? "account " + accountId : "a malformed account id";
  }

  /**
   * Gives the account a new API key and returns it, or empty when there is no such account. The old
   * key is refused on this node from the moment this returns; other nodes let it go within {@link
   * #CACHE_LIFE}.
   */
  public Optional<String> rotateKey(String accountId) {
    String apiKey = ApiKeys.generate();
    boolean replaced = store.setApiKeyHash(accountId, ApiKeys.hash(apiKey));
    generation.incrementAndGet();
    cache.remove(accountId);
    return replaced ? Optional.of(apiKey) : Optional.empty();
  }

  /** Accounts in the cache now, stale ones included; for tests of its bound. */
  int cachedAccounts() {
    return cache.size();
  }

  private boolean isFresh(Cached cached) {
    return cached.generation() == generation.get()
        && nanoTime.getAsLong() - cached.readNanos() < CACHE_LIFE.toNanos();
  }

  private void remember(String accountId, Cached read) {
    if (cache.size() >= capacity && !cache.containsKey(accountId)) {
      makeRoom();
      if (cache.size() >= capacity) {
        return;
      }
    }
    // Of two reads racing, the later one knows better (a key replaced between them).
    cache.merge(
        accountId,
        read,
        (old, now) ->
            now.generation() > old.generation()
                    || (now.generation() == old.generation()
                        && now.readNanos() - old.readNanos() >= 0)
                ? now
                : old);
  }

  /**
   * Drops stale entries; when that frees less than a quarter, drops them all, so a cache full of
   * fresh entries is not scanned again on every new account (each scan then buys a quarter of the
   * capacity or more).
   */
  private synchronized void makeRoom() {
    int before = cache.size();
    if (before < capacity) {
      return;
    }
    cache.values().removeIf(cached -> !isFresh(cached));
    if (cache.size() > before - capacity / 4) {
      cache.clear();
    }
  }
}
