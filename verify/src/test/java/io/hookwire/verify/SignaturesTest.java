package io.hookwire.verify;

import static io.hookwire.verify.TestVectors.BODY;
import static io.hookwire.verify.TestVectors.HMAC_SHA1_HEX;
import static io.hookwire.verify.TestVectors.HMAC_SHA256_HEX;
import static io.hookwire.verify.TestVectors.MESSAGE_ID;
import static io.hookwire.verify.TestVectors.OLD_SECRET;
import static io.hookwire.verify.TestVectors.SECRET;
import static io.hookwire.verify.TestVectors.STANDARD_SIGNATURE;
import static io.hookwire.verify.TestVectors.STANDARD_SIGNATURE_OLD_SECRET;
import static io.hookwire.verify.TestVectors.STANDARD_WEBHOOKS_KEY;
import static io.hookwire.verify.TestVectors.TIMESTAMP;
import static io.hookwire.verify.TestVectors.UNICODE_SECRET;
import static io.hookwire.verify.TestVectors.UNICODE_SECRET_HMAC_SHA256_HEX;
import static io.hookwire.verify.TestVectors.UNICODE_SECRET_STANDARD_WEBHOOKS_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SignaturesTest {

  @Test
  void computesOktopostSecretAsLowercaseHexHmacSha1OfTheBody() {
    assertThat(Signatures.hmacSha1Hex(SECRET, BODY)).isEqualTo(HMAC_SHA1_HEX);
  }

  @Test
  void computesOktopostSignatureAsLowercaseHexHmacSha256OfTheBody() {
    assertThat(Signatures.hmacSha256Hex(SECRET, BODY)).isEqualTo(HMAC_SHA256_HEX);
  }

  @Test
  void computesStandardWebhookSignatureOverIdTimestampAndBody() {
    assertThat(Signatures.standardWebhook(SECRET, MESSAGE_ID, TIMESTAMP, BODY))
        .isEqualTo(STANDARD_SIGNATURE);
    assertThat(Signatures.standardWebhook(OLD_SECRET, MESSAGE_ID, TIMESTAMP, BODY))
        .isEqualTo(STANDARD_SIGNATURE_OLD_SECRET);
  }

  @Test
  void derivesStandardWebhooksKeyAsWhsecPrefixAndBase64OfSecret() {
    assertThat(Signatures.standardWebhooksKey(SECRET)).isEqualTo(STANDARD_WEBHOOKS_KEY);
  }

  @Test
  void usesTheUtf8BytesOfANonAsciiSecretAsKey() {
    assertThat(Signatures.hmacSha256Hex(UNICODE_SECRET, BODY))
        .isEqualTo(UNICODE_SECRET_HMAC_SHA256_HEX);
    assertThat(Signatures.standardWebhooksKey(UNICODE_SECRET))
        .isEqualTo(UNICODE_SECRET_STANDARD_WEBHOOKS_KEY);
  }

  /**
   * The example from the Standard Webhooks specification. Checked with {@code printf '%s'
   * 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}' | openssl dgst -sha256 -mac HMAC
   * -macopt hexkey:31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0 -binary | base64}, the hex key
   * being {@code printf '%s' MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw | base64 -d | xxd -p}.
   */
  @Test
  void reproducesTheStandardWebhooksSpecificationExample() {
    byte[] key = Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    byte[] payload = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    assertThat(
            Signatures.standardWebhook(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, payload))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void rejectsAnEmptySecret() {
    assertThatThrownBy(() -> Signatures.hmacSha256Hex("", BODY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secret must not be empty");
  }
}
