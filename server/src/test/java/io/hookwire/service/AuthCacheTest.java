package io.hookwire.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwire.core.Account;
import io.hookwire.core.Ids;
import io.hookwire.security.ApiKeys;
import io.hookwire.store.Store;
import io.hookwire.testing.StoreKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Authentication trusts an account it read for {@link Auth#CACHE_LIFE}, so a producer's requests
 * cost no query; it must never let that keep out a right key or keep in a replaced one longer than
 * promised. A real store of each kind, and the cache's clock moved by hand.
 */
class AuthCacheTest {
  private static final Instant T0 = Instant.parse("2026-11-29T18:00:00Z");

  @TempDir Path dataDir;

  private final AtomicLong nanos = new AtomicLong(1_000);
  private Store store;

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private Auth auth(StoreKind kind, int capacity) {
    store = kind.open(dataDir);
    return new Auth(store, nanos::get, capacity, 0);
  }

  private record Credentials(String accountId, String apiKey) {}

  private Credentials newAccount(String name) {
    String key = ApiKeys.generate();
    return new Credentials(store.createAccount(name, ApiKeys.hash(key), T0).id(), key);
  }

  private static Optional<String> idOf(Optional<Account> account) {
    return account.map(Account::id);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void aKeyReplacedElsewhereKeepsWorkingHereForTheCacheLifeAtMost(StoreKind kind) {
    Auth auth = auth(kind, Auth.CACHE_CAPACITY);
    Credentials mine = newAccount("Mine");
    assertThat(idOf(auth.authenticate(mine.accountId(), mine.apiKey()))).contains(mine.accountId());

    // As another node or `hookwire account rotate-key` does it: straight in the store.
    store.setApiKeyHash(mine.accountId(), ApiKeys.hash(ApiKeys.generate()));

    nanos.addAndGet(Auth.CACHE_LIFE.toNanos() - 1);
    assertThat(idOf(auth.authenticate(mine.accountId(), mine.apiKey())))
        .as("recognised from the cache, without asking the store")
        .contains(mine.accountId());
    nanos.addAndGet(1);
    assertThat(auth.authenticate(mine.accountId(), mine.apiKey()))
        .as("read again once the cache life is over")
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void aKeyRotatedOnThisNodeIsRefusedAtOnceAndTheNewOneWorks(StoreKind kind) {
    Auth auth = auth(kind, Auth.CACHE_CAPACITY);
    Credentials mine = newAccount("Mine");
    Credentials other = newAccount("Other");
    assertThat(auth.authenticate(mine.accountId(), mine.apiKey())).isPresent();
    assertThat(auth.authenticate(other.accountId(), other.apiKey())).isPresent();

    Optional<String> newKey = auth.rotateKey(mine.accountId());

    assertThat(newKey).hasValueSatisfying(key -> assertThat(key).isNotEqualTo(mine.apiKey()));
    assertThat(auth.authenticate(mine.accountId(), mine.apiKey())).isEmpty();
    assertThat(idOf(auth.authenticate(mine.accountId(), newKey.get()))).contains(mine.accountId());
    assertThat(idOf(auth.authenticate(other.accountId(), other.apiKey())))
        .as("another account's key is untouched")
        .contains(other.accountId());
    assertThat(auth.rotateKey(Ids.ACCOUNT.next())).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void aKeyReplacedElsewhereWorksHereAtOnceAndEndsTheOldOne(StoreKind kind) {
    Auth auth = auth(kind, Auth.CACHE_CAPACITY);
    Credentials mine = newAccount("Mine");
    assertThat(auth.authenticate(mine.accountId(), mine.apiKey())).isPresent();
    String newKey = ApiKeys.generate();

    store.setApiKeyHash(mine.accountId(), ApiKeys.hash(newKey));

    // A key the cache does not know is asked of the store, which knows the new one ...
    assertThat(idOf(auth.authenticate(mine.accountId(), newKey))).contains(mine.accountId());
    // ... and what the store said replaces what the cache held.
    assertThat(auth.authenticate(mine.accountId(), mine.apiKey())).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void refusalsAreNotRememberedSoANewAccountAndTheRightKeyWorkAtOnce(StoreKind kind) {
    Auth auth = auth(kind, Auth.CACHE_CAPACITY);
    Credentials mine = newAccount("Mine");
    for (int i = 0; i < 3; i++) {
      assertThat(auth.authenticate(mine.accountId(), "wrong")).isEmpty();
      assertThat(auth.authenticate(Ids.ACCOUNT.next(), mine.apiKey())).isEmpty();
    }

    assertThat(idOf(auth.authenticate(mine.accountId(), mine.apiKey()))).contains(mine.accountId());
    Credentials created = newAccount("Created just now");
    assertThat(idOf(auth.authenticate(created.accountId(), created.apiKey())))
        .contains(created.accountId());
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void theCacheHoldsAtMostItsCapacityAndEveryAccountStillAuthenticates(StoreKind kind) {
    int capacity = 8;
    Auth auth = auth(kind, capacity);
    List<Credentials> accounts = new ArrayList<>();
    for (int i = 0; i < 3 * capacity; i++) {
      accounts.add(newAccount("Account " + i));
    }

    for (int round = 0; round < 2; round++) {
      for (Credentials account : accounts) {
        assertThat(idOf(auth.authenticate(account.accountId(), account.apiKey())))
            .contains(account.accountId());
        assertThat(auth.cachedAccounts()).isLessThanOrEqualTo(capacity);
      }
      nanos.addAndGet(Auth.CACHE_LIFE.toNanos());
    }
  }
}
