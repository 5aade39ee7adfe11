package io.hookwire.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwire.core.Account;
import io.hookwire.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionsTest {
  /** A clock the test moves by hand. */
  private final TestClock clock = TestClock.standing(Instant.parse("2026-01-01T09:00:00Z"));

  private final Sessions sessions = new Sessions(clock);
  private final Account account = new Account("001000000000001", "Acme", clock.instant());

  @Test
  void idleSessionExpires() {
    Sessions.Session s = sessions.start(account);

    clock.advance(Sessions.IDLE.minusSeconds(1));
    assertThat(sessions.find(s.id)).isPresent();
    clock.advance(Sessions.IDLE);
    assertThat(sessions.find(s.id)).isEmpty();
  }

  @Test
  void activeSessionStillEndsAtItsAbsoluteAge() {
    Sessions.Session s = sessions.start(account);
    Duration step = Sessions.IDLE.dividedBy(2);
    for (Duration used = Duration.ZERO;
        used.plus(step).compareTo(Sessions.ABSOLUTE) < 0;
        used = used.plus(step)) {
      clock.advance(step);
      assertThat(sessions.find(s.id)).as("after %s", used.plus(step)).isPresent();
    }
    clock.advance(step);
    assertThat(sessions.find(s.id)).isEmpty();
  }

  @Test
  void endedSessionIsGone() {
    Sessions.Session s = sessions.start(account);
    sessions.end(s);

    assertThat(sessions.find(s.id)).isEmpty();
  }

  @Test
  void idsAndTokensAreFreshRandom256BitValues() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      Sessions.Session s = sessions.start(account);
      assertThat(s.id).matches("[A-Za-z0-9_-]{43}");
      assertThat(seen.add(s.id)).isTrue();
      assertThat(seen.add(s.csrfToken)).isTrue();
    }
  }

  @Test
  void csrfTokenMatchesOnlyItself() {
    Sessions.Session s = sessions.start(account);
    Sessions.Session other = sessions.start(account);

    assertThat(s.csrfMatches(s.csrfToken)).isTrue();
    assertThat(s.csrfMatches(other.csrfToken)).isFalse();
    assertThat(s.csrfMatches(s.csrfToken.substring(1))).isFalse();
    assertThat(s.csrfMatches("")).isFalse();
    assertThat(s.csrfMatches(null)).isFalse();
  }

  @Test
  void oneTimeSecretIsTakenOnceAndOnlyForItsWebhook() {
    Sessions.Session s = sessions.start(account);
    s.secret(new Sessions.OneTimeSecret("0WA000000000001", "abc", false));

    assertThat(s.takeSecret("0WA000000000002")).isEmpty();
    assertThat(s.takeSecret("0WA000000000001")).isPresent();
    assertThat(s.takeSecret("0WA000000000001")).isEmpty();
  }
}
