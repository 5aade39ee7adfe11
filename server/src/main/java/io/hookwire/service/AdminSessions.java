package io.hookwire.service;

import io.hookwire.core.Account;
import io.hookwire.security.ApiKeys;
import io.hookwire.security.SecretBox;
import io.hookwire.store.Store;
import io.hookwire.store.StoredSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Signed-in browsers of the admin pages, kept in the store so that every node knows them: a random
 * token in a cookie names one, and the store keeps only the token's SHA-256. A session ends when it
 * is idle too long, when it reaches its absolute age, at sign-out, and when the account's API key
 * is no longer the one it signed in with (as {@link Auth} sees the account: on a node other than
 * the one that replaced the key, within {@link Auth#CACHE_LIFE}).
 */
public final class AdminSessions {
  /** 30 minutes idle: OWASP's upper range for a low-risk application's idle timeout. */
  public static final Duration IDLE = Duration.ofMinutes(30);

  /** 12 hours: a working day, after which even an active session signs in again. */
  public static final Duration ABSOLUTE = Duration.ofHours(12);

  /**
   * Last-seen is written when it is older than this, so most page views cost one read; a session
   * may end this much before it has been idle for {@link #IDLE}.
   */
  static final Duration TOUCH_AFTER = Duration.ofMinutes(1);

  /**
   * Sessions one account may have: far above any real number of its operators, and a bound on the
   * table if sign-ins are scripted. The least recently seen end first.
   */
  static final int PER_ACCOUNT = 100;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A message shown once, on the next page. */
  public record Notice(boolean error, String text) {}

  /** A Secret in clear, shown once on its webhook's Secret page. */
  public record OneTimeSecret(String webhookId, String secret, boolean rotated) {}

  /** A live session, as one request found it. */
  public static final class Session {
    final StoredSession stored;
    private final Account account;

    private Session(StoredSession stored, Account account) {
      this.stored = stored;
      this.account = account;
    }

    public Account account() {
      return account;
    }

    public String accountId() {
      return account.id();
    }

    /** The token every form of the session carries. */
    public String csrfToken() {
      return stored.csrfToken();
    }

    /** Constant time, so the token cannot be guessed byte by byte from response times. */
    public boolean csrfMatches(String token) {
      return token != null
          && MessageDigest.isEqual(
              stored.csrfToken().getBytes(StandardCharsets.UTF_8),
              token.getBytes(StandardCharsets.UTF_8));
    }
  }

  private final Store store;
  private final Auth auth;
  private final SecretBox secrets;
  private final Clock clock;

  public AdminSessions(Store store, Auth auth, SecretBox secrets, Clock clock) {
    this.store = store;
    this.auth = auth;
    this.secrets = secrets;
    this.clock = clock;
  }

  /**
   * Starts a session for the account, just accepted with {@code apiKey}, under a fresh token: never
   * one the browser had before signing in. Expired sessions are deleted meanwhile.
   *
   * @return the token, for the cookie
   */
  public String start(Account account, String apiKey) {
    Instant now = clock.instant();
    String token = token();
    store.startAdminSession(
        new StoredSession(
            hash(token),
            account.id(),
            ApiKeys.hash(apiKey),
            token(),
            now,
            now,
            Optional.empty(),
            Optional.empty()),
        now.minus(IDLE),
        now.minus(ABSOLUTE),
        PER_ACCOUNT);
    return token;
  }

  /** The live session of this token; one that has ended is deleted. */
  public Optional<Session> find(String token) {
    if (token == null) {
      return Optional.empty();
    }
    String idHash = hash(token);
    Optional<StoredSession> found = store.findAdminSession(idHash);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    StoredSession s = found.get();
    Instant now = clock.instant();
    boolean expired =
        !now.isBefore(s.lastSeen().plus(IDLE)) || !now.isBefore(s.started().plus(ABSOLUTE));
    Optional<Account> account =
        expired ? Optional.empty() : auth.authenticateHash(s.accountId(), s.apiKeyHash());
    if (account.isEmpty()) {
      store.deleteAdminSession(idHash);
      return Optional.empty();
    }
    if (!now.isBefore(s.lastSeen().plus(TOUCH_AFTER))) {
      store.touchAdminSession(idHash, now);
    }
    return Optional.of(new Session(s, account.get()));
  }

  /** Signs out: the session ends on every node. */
  public void end(Session session) {
    store.deleteAdminSession(session.stored.idHash());
  }

  /** Shows {@code notice} on the session's next page. */
  public void notice(Session session, Notice notice) {
    store.setAdminSessionNotice(
        session.stored.idHash(), new StoredSession.Notice(notice.error(), notice.text()));
  }

  /** The notice for this page, removed so that no other page shows it. */
  public Optional<Notice> takeNotice(Session session) {
    return session
        .stored
        .notice()
        .filter(n -> store.takeAdminSessionNotice(session.stored.idHash(), n))
        .map(n -> new Notice(n.error(), n.text()));
  }

  /** Keeps {@code secret}, sealed, for its webhook's Secret page. */
  public void secret(Session session, OneTimeSecret secret) {
    String idHash = session.stored.idHash();
    store.setAdminSessionSecret(
        idHash,
        new StoredSession.SealedSecret(
            secret.webhookId(),
            secrets.seal(secret.secret(), binding(idHash, secret.webhookId())),
            secret.rotated()));
  }

  /** The Secret waiting for this webhook's page, removed so that it is never shown twice. */
  public Optional<OneTimeSecret> takeSecret(Session session, String webhookId) {
    String idHash = session.stored.idHash();
    return session
        .stored
        .secret()
        .filter(s -> s.webhookId().equals(webhookId))
        .filter(s -> store.takeAdminSessionSecret(idHash, s.sealed()))
        .map(
            s ->
                new OneTimeSecret(
                    webhookId, secrets.open(s.sealed(), binding(idHash, webhookId)), s.rotated()));
  }

  /** What a Secret is sealed for: a sealed value copied into another session does not open. */
  private static String binding(String idHash, String webhookId) {
    return "admin-session/" + idHash + "/" + webhookId;
  }

  /** The SHA-256 the store knows a token by (256 random bits need no slow hash). */
  static String hash(String token) {
    return ApiKeys.hash(token);
  }

  /** 256 random bits, URL-safe. */
  private static String token() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
