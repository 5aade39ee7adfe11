package io.hookwire.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import io.hookwire.testing.TestClock;
import io.hookwire.verify.WebhookVerificationException;
import io.hookwire.verify.WebhookVerifier;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The three signature schemes of one request, checked by the receiver library and by Standard
 * Webhooks' own: what a receiver verifies is what {@link Signer} writes.
 */
class SignerTest {
  private static final Instant SENT = Instant.parse("2026-12-03T10:00:00Z");
  private static final byte[] BODY =
      "{\"event\":\"newLead\",\"data\":{\"email\":\"ada@example.com\"}}"
          .getBytes(StandardCharsets.UTF_8);

  private static Map<String, String> sign(List<String> secrets) {
    return Signer.headers(secrets, "msg_1", SENT.getEpochSecond(), BODY);
  }

  private static WebhookVerifier verifier(String... secrets) {
    return WebhookVerifier.of(secrets).withClock(TestClock.standing(SENT));
  }

  @Test
  void everySchemeVerifiesWithTheSecret() {
    Map<String, String> headers = sign(List.of("s3cret"));

    assertThatCode(() -> verifier("s3cret").requireStandardWebhooks().verify(BODY, headers::get))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                verifier("s3cret")
                    .verifyOktopostSecret(BODY, headers.get(WebhookVerifier.OKTOPOST_SECRET)))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                verifier("s3cret")
                    .verifyOktopostSignature(BODY, headers.get(WebhookVerifier.OKTOPOST_SIGNATURE)))
        .doesNotThrowAnyException();
  }

  @Test
  void standardWebhooksOwnLibraryAcceptsIt() {
    // It checks the timestamp against the real time: signed now.
    Map<String, String> headers =
        Signer.headers(List.of("s3cret"), "msg_1", Instant.now().getEpochSecond(), BODY);
    HttpHeaders http =
        HttpHeaders.of(
            headers.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))),
            (name, value) -> true);

    assertThatCode(
            () ->
                new Webhook(Signer.standardWebhooksKey("s3cret"))
                    .verify(new String(BODY, StandardCharsets.UTF_8), http))
        .doesNotThrowAnyException();
  }

  @Test
  void duringARotationBothSecretsSignTheStandardHeaderAndTheOktopostHeadersUseTheNewOne() {
    Map<String, String> headers = sign(List.of("new", "old"));

    assertThat(headers.get("webhook-signature").split(" ")).hasSize(2);
    assertThatCode(() -> verifier("old").requireStandardWebhooks().verify(BODY, headers::get))
        .as("a receiver still on the old secret")
        .doesNotThrowAnyException();
    assertThatCode(
            () -> verifier("new").verifyOktopostSecret(BODY, headers.get("X-Oktopost-Secret")))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> verifier("old").verifyOktopostSecret(BODY, headers.get("X-Oktopost-Secret")))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void aChangedBodyOrAnotherSecretFails() {
    Map<String, String> headers = sign(List.of("s3cret"));
    byte[] changed = "{\"event\":\"newLead\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> verifier("s3cret").verify(changed, headers::get))
        .isInstanceOf(WebhookVerificationException.class);
    assertThatThrownBy(() -> verifier("other").verify(BODY, headers::get))
        .isInstanceOf(WebhookVerificationException.class);
  }
}
