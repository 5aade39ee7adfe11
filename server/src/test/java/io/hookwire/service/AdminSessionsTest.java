package io.hookwire.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwire.core.Account;
import io.hookwire.security.ApiKeys;
import io.hookwire.security.SecretBox;
import io.hookwire.service.AdminSessions.Notice;
import io.hookwire.service.AdminSessions.OneTimeSecret;
import io.hookwire.service.AdminSessions.Session;
import io.hookwire.store.Store;
import io.hookwire.store.StoredSession;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestClock;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The admin pages' sessions on a real store of each kind, with two nodes where it matters: two
 * {@link AdminSessions}, each with its own {@link Auth}, on one store. The session clock and the
 * authentication cache's clock are moved by hand.
 */
class AdminSessionsTest {
  private final TestClock clock = TestClock.standing(Instant.parse("2026-01-01T09:00:00Z"));
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final SecretBox secrets = SecretBox.of(new SecureRandom().generateSeed(32));

  @TempDir Path dataDir;

  private Store store;
  private Account account;
  private String apiKey;

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /** The first node, on a fresh store with one account. */
  private AdminSessions open(StoreKind kind) {
    store = kind.open(dataDir);
    apiKey = ApiKeys.generate();
    account = store.createAccount("Acme", ApiKeys.hash(apiKey), clock.instant());
    return node();
  }

  /** Another node on the same store. */
  private AdminSessions node() {
    return node(new Auth(store, nanos::get, Auth.CACHE_CAPACITY, 0));
  }

  private AdminSessions node(Auth auth) {
    return new AdminSessions(store, auth, secrets, clock);
  }

  private String signIn(AdminSessions node) {
    return node.start(account, apiKey);
  }

  private StoredSession stored(String token) {
    return store.findAdminSession(AdminSessions.hash(token)).orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void idleSessionExpires(StoreKind kind) {
    AdminSessions sessions = open(kind);
    String token = signIn(sessions);

    clock.advance(AdminSessions.IDLE.minusSeconds(1));
    assertThat(sessions.find(token)).isPresent();
    clock.advance(AdminSessions.IDLE);
    assertThat(sessions.find(token)).isEmpty();
    assertThat(store.findAdminSession(AdminSessions.hash(token))).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void activeSessionStillEndsAtItsAbsoluteAge(StoreKind kind) {
    AdminSessions sessions = open(kind);
    String token = signIn(sessions);
    Duration step = AdminSessions.IDLE.dividedBy(2);
    for (Duration used = Duration.ZERO;
        used.plus(step).compareTo(AdminSessions.ABSOLUTE) < 0;
        used = used.plus(step)) {
      clock.advance(step);
      assertThat(sessions.find(token)).as("after %s", used.plus(step)).isPresent();
    }
    clock.advance(step);
    assertThat(sessions.find(token)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void lastSeenIsWrittenOnlyWhenItIsAMinuteOld(StoreKind kind) {
    AdminSessions sessions = open(kind);
    String token = signIn(sessions);
    Instant started = clock.instant();

    clock.advance(AdminSessions.TOUCH_AFTER.minusMillis(1));
    assertThat(sessions.find(token)).isPresent();
    assertThat(stored(token).lastSeen()).isEqualTo(started);

    clock.advance(Duration.ofMillis(1));
    assertThat(sessions.find(token)).isPresent();
    assertThat(stored(token).lastSeen()).isEqualTo(clock.instant());
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void aSessionStartedOnOneNodeIsUsedAndEndedOnAnother(StoreKind kind) {
    AdminSessions first = open(kind);
    AdminSessions second = node();
    String token = signIn(first);

    Session there = second.find(token).orElseThrow();
    assertThat(there.account()).isEqualTo(account);
    assertThat(there.csrfToken()).isEqualTo(first.find(token).orElseThrow().csrfToken());

    second.end(there);
    assertThat(first.find(token)).isEmpty();
    assertThat(second.find(token)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void tokensAndCsrfTokensAreFreshRandom256BitValuesAndOnlyTheirHashIsStored(StoreKind kind) {
    AdminSessions sessions = open(kind);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      String token = signIn(sessions);
      String csrf = sessions.find(token).orElseThrow().csrfToken();
      assertThat(token).matches("[A-Za-z0-9_-]{43}");
      assertThat(csrf).matches("[A-Za-z0-9_-]{43}");
      assertThat(seen.add(token)).isTrue();
      assertThat(seen.add(csrf)).isTrue();
      assertThat(stored(token).idHash()).isEqualTo(ApiKeys.hash(token)).isNotEqualTo(token);
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void csrfTokenMatchesOnlyItself(StoreKind kind) {
    AdminSessions sessions = open(kind);
    Session s = sessions.find(signIn(sessions)).orElseThrow();
    Session other = sessions.find(signIn(sessions)).orElseThrow();

    assertThat(s.csrfMatches(s.csrfToken())).isTrue();
    assertThat(s.csrfMatches(other.csrfToken())).isFalse();
    assertThat(s.csrfMatches(s.csrfToken().substring(1))).isFalse();
    assertThat(s.csrfMatches("")).isFalse();
    assertThat(s.csrfMatches(null)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void noticeIsShownOnceOnWhicheverNodeShowsTheNextPage(StoreKind kind) {
    AdminSessions first = open(kind);
    AdminSessions second = node();
    String token = signIn(first);
    first.notice(first.find(token).orElseThrow(), new Notice(false, "Saved “CRM”."));

    Session page = second.find(token).orElseThrow();
    Session sameMomentElsewhere = first.find(token).orElseThrow();
    assertThat(second.takeNotice(page)).contains(new Notice(false, "Saved “CRM”."));
    assertThat(first.takeNotice(sameMomentElsewhere)).isEmpty();
    assertThat(second.takeNotice(second.find(token).orElseThrow())).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void oneTimeSecretIsTakenOnceOnAnyNodeAndOnlyForItsWebhook(StoreKind kind) {
    AdminSessions first = open(kind);
    AdminSessions second = node();
    String token = signIn(first);
    String secret = "ab".repeat(32);
    first.secret(
        first.find(token).orElseThrow(), new OneTimeSecret("0WA000000000001", secret, false));

    assertThat(second.takeSecret(second.find(token).orElseThrow(), "0WA000000000002")).isEmpty();
    Session page = second.find(token).orElseThrow();
    Session sameMomentElsewhere = first.find(token).orElseThrow();
    assertThat(second.takeSecret(page, "0WA000000000001"))
        .contains(new OneTimeSecret("0WA000000000001", secret, false));
    assertThat(first.takeSecret(sameMomentElsewhere, "0WA000000000001")).isEmpty();
    assertThat(stored(token).secret()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void theSecretIsStoredSealedForItsSessionAlone(StoreKind kind) {
    AdminSessions sessions = open(kind);
    String token = signIn(sessions);
    String other = signIn(sessions);
    String secret = "cd".repeat(32);
    sessions.secret(
        sessions.find(token).orElseThrow(), new OneTimeSecret("0WA000000000001", secret, true));

    StoredSession.SealedSecret sealed = stored(token).secret().orElseThrow();
    assertThat(sealed.sealed()).startsWith("v1:").doesNotContain(secret);
    // Copied into another session's row, it does not open.
    store.setAdminSessionSecret(AdminSessions.hash(other), sealed);
    assertThatThrownBy(
            () -> sessions.takeSecret(sessions.find(other).orElseThrow(), "0WA000000000001"))
        .isInstanceOf(SecretBox.UnreadableSecretException.class);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void aKeyRotatedOnThisNodeEndsTheAccountsSessionsAtOnce(StoreKind kind) {
    open(kind);
    Auth auth = new Auth(store, nanos::get, Auth.CACHE_CAPACITY, 0);
    AdminSessions sessions = node(auth);
    String one = signIn(sessions);
    String two = signIn(sessions);
    assertThat(sessions.find(one)).isPresent();

    String newKey = auth.rotateKey(account.id()).orElseThrow();

    assertThat(sessions.find(one)).isEmpty();
    assertThat(sessions.find(two)).isEmpty();
    assertThat(store.findAdminSession(AdminSessions.hash(one))).isEmpty();
    assertThat(sessions.find(sessions.start(account, newKey))).isPresent();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void aKeyReplacedElsewhereEndsSessionsHereWithinTheCacheLife(StoreKind kind) {
    AdminSessions sessions = open(kind);
    String token = signIn(sessions);
    assertThat(sessions.find(token)).isPresent();

    // As another node or `hookwire account rotate-key` does it: straight in the store.
    store.setApiKeyHash(account.id(), ApiKeys.hash(ApiKeys.generate()));

    nanos.addAndGet(Auth.CACHE_LIFE.toNanos() - 1);
    assertThat(sessions.find(token)).isPresent();
    nanos.addAndGet(1);
    assertThat(sessions.find(token)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void aSessionOfTheNewKeyIsNotEndedByAnotherNodesOutOfDateCache(StoreKind kind) {
    AdminSessions first = open(kind);
    AdminSessions second = node();
    // The second node has the account, with its old key, in its cache.
    assertThat(second.find(signIn(first))).isPresent();
    String newKey = ApiKeys.generate();
    store.setApiKeyHash(account.id(), ApiKeys.hash(newKey));

    String token = first.start(account, newKey);

    assertThat(second.find(token)).isPresent();
  }
}
