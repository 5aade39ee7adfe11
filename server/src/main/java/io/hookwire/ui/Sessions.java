package io.hookwire.ui;

import io.hookwire.core.Account;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Signed-in browsers, kept in this server's memory: an id in a cookie names one. A session ends
 * when it is idle too long, when it reaches its absolute age, or at sign-out. Sessions are per
 * node: several nodes behind one address need sticky routing for the admin pages.
 */
final class Sessions {
  /** 30 minutes idle: OWASP's upper range for a low-risk application's idle timeout. */
  static final Duration IDLE = Duration.ofMinutes(30);

  /** 12 hours: a working day, after which even an active session signs in again. */
  static final Duration ABSOLUTE = Duration.ofHours(12);

  /** Far above any real number of operators; bounds memory if sign-ins are scripted. */
  private static final int MAX_SESSIONS = 10_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A message shown once, on the next page. */
  record Notice(boolean error, String text) {}

  /** A Secret in clear, kept until its page shows it once. */
  record OneTimeSecret(String webhookId, String secret, boolean rotated) {}

  static final class Session {
    final String id;
    final Account account;
    final String csrfToken;
    final Instant started;
    private volatile Instant lastSeen;
    private final AtomicReference<Notice> notice = new AtomicReference<>();
    private final AtomicReference<OneTimeSecret> secret = new AtomicReference<>();

    private Session(String id, Account account, String csrfToken, Instant now) {
      this.id = id;
      this.account = account;
      this.csrfToken = csrfToken;
      this.started = now;
      this.lastSeen = now;
    }

    String accountId() {
      return account.id();
    }

    void notice(Notice n) {
      notice.set(n);
    }

    Optional<Notice> takeNotice() {
      return Optional.ofNullable(notice.getAndSet(null));
    }

    void secret(OneTimeSecret s) {
      secret.set(s);
    }

    /** The Secret waiting for this webhook's page, removed so it is never shown twice. */
    Optional<OneTimeSecret> takeSecret(String webhookId) {
      OneTimeSecret s = secret.get();
      if (s != null && s.webhookId().equals(webhookId) && secret.compareAndSet(s, null)) {
        return Optional.of(s);
      }
      return Optional.empty();
    }

    /** Constant time, so the token cannot be guessed byte by byte from response times. */
    boolean csrfMatches(String token) {
      return token != null
          && MessageDigest.isEqual(
              csrfToken.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    private boolean expired(Instant now) {
      return !now.isBefore(lastSeen.plus(IDLE)) || !now.isBefore(started.plus(ABSOLUTE));
    }
  }

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Clock clock;

  Sessions(Clock clock) {
    this.clock = clock;
  }

  /** A new session with a fresh id: never reuses one the browser had before signing in. */
  Session start(Account account) {
    Instant now = clock.instant();
    sessions.values().removeIf(s -> s.expired(now));
    while (sessions.size() >= MAX_SESSIONS) {
      sessions.values().stream()
          .min(Comparator.comparing(s -> s.lastSeen))
          .ifPresent(oldest -> sessions.remove(oldest.id));
    }
    Session session = new Session(token(), account, token(), now);
    sessions.put(session.id, session);
    return session;
  }

  /** The live session with this id, its idle time reset; expired ones are dropped. */
  Optional<Session> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Session session = sessions.get(id);
    if (session == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (session.expired(now)) {
      sessions.remove(id);
      return Optional.empty();
    }
    session.lastSeen = now;
    return Optional.of(session);
  }

  void end(Session session) {
    sessions.remove(session.id);
  }

  /** 256 random bits, URL-safe. */
  static String token() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
