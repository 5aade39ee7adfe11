package io.hookwire.verify;

import static io.hookwire.verify.TestVectors.BODY;
import static io.hookwire.verify.TestVectors.BODY_TEXT;
import static io.hookwire.verify.TestVectors.MESSAGE_ID;
import static io.hookwire.verify.TestVectors.OLD_SECRET;
import static io.hookwire.verify.TestVectors.SECRET;
import static io.hookwire.verify.TestVectors.STANDARD_SIGNATURE;
import static io.hookwire.verify.TestVectors.TIMESTAMP;
import static io.hookwire.verify.TestVectors.UNICODE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks against the reference Standard Webhooks library ({@code
 * com.standardwebhooks:standardwebhooks}). The reference verifier compares the timestamp with the
 * system clock, so the tests that verify with it sign with the current time.
 */
class StandardWebhooksInteropTest {

  private static HttpHeaders headers(String id, long timestamp, String signature) {
    return HttpHeaders.of(
        Map.of(
            "webhook-id", List.of(id),
            "webhook-timestamp", List.of(Long.toString(timestamp)),
            "webhook-signature", List.of(signature)),
        (name, value) -> true);
  }

  @Test
  void referenceLibraryVerifiesOurSignature() throws Exception {
    long now = Instant.now().getEpochSecond();
    String signature = Signatures.standardWebhook(SECRET, MESSAGE_ID, now, BODY);

    Webhook reference = new Webhook(Signatures.standardWebhooksKey(SECRET));

    assertThatCode(() -> reference.verify(BODY_TEXT, headers(MESSAGE_ID, now, signature)))
        .doesNotThrowAnyException();
  }

  @Test
  void referenceLibraryVerifiesOurSignatureForANonAsciiSecret() throws Exception {
    long now = Instant.now().getEpochSecond();
    String signature = Signatures.standardWebhook(UNICODE_SECRET, MESSAGE_ID, now, BODY);

    Webhook reference = new Webhook(Signatures.standardWebhooksKey(UNICODE_SECRET));

    assertThatCode(() -> reference.verify(BODY_TEXT, headers(MESSAGE_ID, now, signature)))
        .doesNotThrowAnyException();
  }

  @Test
  void referenceLibraryAcceptsEitherSecretDuringRotation() throws Exception {
    long now = Instant.now().getEpochSecond();
    String rotation =
        Signatures.standardWebhook(SECRET, MESSAGE_ID, now, BODY)
            + " "
            + Signatures.standardWebhook(OLD_SECRET, MESSAGE_ID, now, BODY);

    for (String secret : List.of(SECRET, OLD_SECRET)) {
      Webhook reference = new Webhook(Signatures.standardWebhooksKey(secret));
      assertThatCode(() -> reference.verify(BODY_TEXT, headers(MESSAGE_ID, now, rotation)))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void referenceLibraryRejectsOurSignatureUnderAnotherSecret() throws Exception {
    long now = Instant.now().getEpochSecond();
    String signature = Signatures.standardWebhook(SECRET, MESSAGE_ID, now, BODY);

    Webhook reference = new Webhook(Signatures.standardWebhooksKey(OLD_SECRET));

    assertThatThrownBy(() -> reference.verify(BODY_TEXT, headers(MESSAGE_ID, now, signature)))
        .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
  }

  @Test
  void weVerifyTheReferenceLibrarysSignature() throws Exception {
    Webhook reference = new Webhook(Signatures.standardWebhooksKey(SECRET));
    String signature = reference.sign(MESSAGE_ID, TIMESTAMP, BODY_TEXT);
    WebhookVerifier verifier =
        WebhookVerifier.of(SECRET)
            .withClock(Clock.fixed(Instant.ofEpochSecond(TIMESTAMP), ZoneOffset.UTC));

    assertThat(signature).isEqualTo(STANDARD_SIGNATURE);
    assertThatCode(() -> verifier.verify(BODY, headers(MESSAGE_ID, TIMESTAMP, signature).map()))
        .doesNotThrowAnyException();
  }

  @Test
  void referenceLibraryAndWeSignIdentically() throws Exception {
    Webhook reference = new Webhook(Signatures.standardWebhooksKey(UNICODE_SECRET));
    String payload = "[{\"data\":{\"note\":\"\\u00e9 \\\"quoted\\\" ✓\"}}]";

    assertThat(
            Signatures.standardWebhook(
                UNICODE_SECRET, "msg_1", 1L, payload.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(reference.sign("msg_1", 1L, payload));
  }
}
