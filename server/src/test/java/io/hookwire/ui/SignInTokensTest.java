package io.hookwire.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwire.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignInTokensTest {
  private final TestClock clock = TestClock.standing();
  private final SignInTokens tokens =
      new SignInTokens("k".repeat(32).getBytes(StandardCharsets.UTF_8), clock);

  @Test
  void aTokenThisServerIssuedIsAcceptedAsCookieAndField() {
    String token = tokens.issue();

    assertThat(tokens.accepts(token, token)).isTrue();
  }

  @Test
  void anotherNodeWithTheSameKeyAcceptsIt() {
    String token = tokens.issue();
    SignInTokens otherNode =
        new SignInTokens("k".repeat(32).getBytes(StandardCharsets.UTF_8), clock);

    assertThat(otherNode.accepts(token, token)).isTrue();
  }

  @Test
  void aFieldThatDiffersFromTheCookieIsRefused() {
    assertThat(tokens.accepts(tokens.issue(), tokens.issue())).isFalse();
    assertThat(tokens.accepts(null, tokens.issue())).isFalse();
    assertThat(tokens.accepts(tokens.issue(), null)).isFalse();
  }

  @Test
  void aPairOfTheSendersChoosingIsRefused() {
    assertThat(tokens.accepts("abc", "abc")).isFalse();
    assertThat(tokens.accepts("a.1.b", "a.1.b")).isFalse();
  }

  @Test
  void aTokenWithItsExpiryChangedIsRefused() {
    String token = tokens.issue();
    String[] parts = token.split("\\.");
    String later = parts[0] + "." + (Long.parseLong(parts[1]) + 86_400) + "." + parts[2];

    assertThat(tokens.accepts(later, later)).isFalse();
  }

  @Test
  void aTokenFromAServerWithAnotherKeyIsRefused() {
    String theirs =
        new SignInTokens("x".repeat(32).getBytes(StandardCharsets.UTF_8), clock).issue();

    assertThat(tokens.accepts(theirs, theirs)).isFalse();
  }

  @Test
  void aTokenExpiresAfterItsValidity() {
    String token = tokens.issue();
    clock.advance(SignInTokens.VALID.minus(Duration.ofSeconds(1)));
    assertThat(tokens.accepts(token, token)).isTrue();

    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.accepts(token, token)).isFalse();
  }
}
