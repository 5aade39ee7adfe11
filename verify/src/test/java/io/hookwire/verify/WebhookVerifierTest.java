package io.hookwire.verify;

import static io.hookwire.verify.TestVectors.BODY;
import static io.hookwire.verify.TestVectors.BODY_TEXT;
import static io.hookwire.verify.TestVectors.HMAC_SHA1_HEX;
import static io.hookwire.verify.TestVectors.HMAC_SHA256_HEX;
import static io.hookwire.verify.TestVectors.MESSAGE_ID;
import static io.hookwire.verify.TestVectors.OLD_SECRET;
import static io.hookwire.verify.TestVectors.SECRET;
import static io.hookwire.verify.TestVectors.STANDARD_SIGNATURE;
import static io.hookwire.verify.TestVectors.STANDARD_SIGNATURE_OLD_SECRET;
import static io.hookwire.verify.TestVectors.STANDARD_WEBHOOKS_KEY;
import static io.hookwire.verify.TestVectors.TIMESTAMP;
import static io.hookwire.verify.TestVectors.UNICODE_SECRET_HMAC_SHA256_HEX;
import static io.hookwire.verify.TestVectors.UNICODE_SECRET_STANDARD_WEBHOOKS_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwire.verify.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class WebhookVerifierTest {

  private static final String TIMESTAMP_TEXT = Long.toString(TIMESTAMP);
  private static final byte[] TAMPERED =
      BODY_TEXT.replace("jane@example.com", "mallory@example.com").getBytes(StandardCharsets.UTF_8);

  private static Clock clockAt(long epochSecond) {
    return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
  }

  private static final WebhookVerifier VERIFIER =
      WebhookVerifier.of(SECRET).withClock(clockAt(TIMESTAMP));

  private static Map<String, List<String>> standardHeaders(String signature) {
    return Map.of(
        "webhook-id", List.of(MESSAGE_ID),
        "webhook-timestamp", List.of(TIMESTAMP_TEXT),
        "webhook-signature", List.of(signature));
  }

  /** Asserts that {@code call} throws a {@link WebhookVerificationException} for {@code reason}. */
  private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
      ThrowingCallable call, Reason reason) {
    return assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            WebhookVerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @Nested
  class OktopostHeaders {

    @Test
    void acceptsMatchingOktopostSecret() {
      assertThatCode(() -> VERIFIER.verifyOktopostSecret(BODY, HMAC_SHA1_HEX))
          .doesNotThrowAnyException();
    }

    @Test
    void acceptsMatchingOktopostSignature() {
      assertThatCode(() -> VERIFIER.verifyOktopostSignature(BODY, HMAC_SHA256_HEX))
          .doesNotThrowAnyException();
    }

    @Test
    void acceptsUppercaseHexAndSurroundingWhitespace() {
      assertThatCode(
              () ->
                  VERIFIER.verifyOktopostSignature(
                      BODY, " " + HMAC_SHA256_HEX.toUpperCase(Locale.ROOT) + " "))
          .doesNotThrowAnyException();
    }

    @Test
    void rejectsOktopostSignatureOfTamperedBody() {
      assertRejected(
              () -> VERIFIER.verifyOktopostSignature(TAMPERED, HMAC_SHA256_HEX),
              Reason.SIGNATURE_MISMATCH)
          .hasMessage(
              "X-Oktopost-Signature does not match: wrong secret, or the body was modified");
    }

    @Test
    void rejectsOktopostSecretOfTamperedBody() {
      assertRejected(
          () -> VERIFIER.verifyOktopostSecret(TAMPERED, HMAC_SHA1_HEX), Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsOktopostSignatureMadeWithAnotherSecret() {
      assertRejected(
          () -> WebhookVerifier.of(OLD_SECRET).verifyOktopostSignature(BODY, HMAC_SHA256_HEX),
          Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsSha1ValueInTheSha256Header() {
      assertRejected(
              () -> VERIFIER.verifyOktopostSignature(BODY, HMAC_SHA1_HEX), Reason.MALFORMED_HEADER)
          .hasMessageStartingWith("Malformed X-Oktopost-Signature header: expected 64 hex digits");
    }

    @Test
    void rejectsNonHexOktopostSecret() {
      String notHex = "z" + HMAC_SHA1_HEX.substring(1);
      assertRejected(() -> VERIFIER.verifyOktopostSecret(BODY, notHex), Reason.MALFORMED_HEADER)
          .hasMessage(
              "Malformed X-Oktopost-Secret header: expected 40 hex digits, got '" + notHex + "'");
    }

    @Test
    void rejectsMissingOktopostSignature() {
      assertRejected(() -> VERIFIER.verifyOktopostSignature(BODY, null), Reason.MISSING_HEADER)
          .hasMessage("Missing X-Oktopost-Signature header");
      assertRejected(() -> VERIFIER.verifyOktopostSignature(BODY, "  "), Reason.MISSING_HEADER);
    }

    @Test
    void acceptsOktopostSignatureMadeWithAnyConfiguredSecret() {
      WebhookVerifier both = WebhookVerifier.of(OLD_SECRET, SECRET);
      assertThatCode(() -> both.verifyOktopostSignature(BODY, HMAC_SHA256_HEX))
          .doesNotThrowAnyException();
      assertThatCode(
              () -> both.verifyOktopostSignature(BODY, Signatures.hmacSha256Hex(OLD_SECRET, BODY)))
          .doesNotThrowAnyException();
    }
  }

  @Nested
  class StandardWebhooks {

    @Test
    void acceptsMatchingSignature() {
      assertThatCode(
              () ->
                  VERIFIER.verifyStandardWebhook(
                      BODY, MESSAGE_ID, TIMESTAMP_TEXT, STANDARD_SIGNATURE))
          .doesNotThrowAnyException();
    }

    @Test
    void acceptsEitherSignatureDuringRotation() {
      String rotation = STANDARD_SIGNATURE + " " + STANDARD_SIGNATURE_OLD_SECRET;
      WebhookVerifier oldOnly = WebhookVerifier.of(OLD_SECRET).withClock(clockAt(TIMESTAMP));

      assertThatCode(
              () -> VERIFIER.verifyStandardWebhook(BODY, MESSAGE_ID, TIMESTAMP_TEXT, rotation))
          .doesNotThrowAnyException();
      assertThatCode(
              () -> oldOnly.verifyStandardWebhook(BODY, MESSAGE_ID, TIMESTAMP_TEXT, rotation))
          .doesNotThrowAnyException();
    }

    @Test
    void acceptsRotationSignaturesInEitherOrder() {
      String rotation = STANDARD_SIGNATURE_OLD_SECRET + " " + STANDARD_SIGNATURE;
      assertThatCode(
              () -> VERIFIER.verifyStandardWebhook(BODY, MESSAGE_ID, TIMESTAMP_TEXT, rotation))
          .doesNotThrowAnyException();
    }

    @Test
    void acceptsSignatureMadeWithAnyConfiguredSecret() {
      WebhookVerifier both = WebhookVerifier.of(SECRET, OLD_SECRET).withClock(clockAt(TIMESTAMP));
      assertThatCode(
              () ->
                  both.verifyStandardWebhook(
                      BODY, MESSAGE_ID, TIMESTAMP_TEXT, STANDARD_SIGNATURE_OLD_SECRET))
          .doesNotThrowAnyException();
    }

    @Test
    void ignoresSignaturesOfOtherVersions() {
      String header = "v1a,c29tZXRoaW5nIGVsc2U= " + STANDARD_SIGNATURE + " v2,AAAA";
      assertThatCode(() -> VERIFIER.verifyStandardWebhook(BODY, MESSAGE_ID, TIMESTAMP_TEXT, header))
          .doesNotThrowAnyException();
    }

    @Test
    void acceptsAValidSignatureNextToAMalformedOne() {
      String header = "v1,***not-base64*** " + STANDARD_SIGNATURE;
      assertThatCode(() -> VERIFIER.verifyStandardWebhook(BODY, MESSAGE_ID, TIMESTAMP_TEXT, header))
          .doesNotThrowAnyException();
    }

    @Test
    void rejectsTamperedBody() {
      assertRejected(
              () ->
                  VERIFIER.verifyStandardWebhook(
                      TAMPERED, MESSAGE_ID, TIMESTAMP_TEXT, STANDARD_SIGNATURE),
              Reason.SIGNATURE_MISMATCH)
          .hasMessageStartingWith("No signature in webhook-signature matches");
    }

    @Test
    void rejectsSignatureMadeWithAnotherSecret() {
      assertRejected(
          () ->
              VERIFIER.verifyStandardWebhook(
                  BODY, MESSAGE_ID, TIMESTAMP_TEXT, STANDARD_SIGNATURE_OLD_SECRET),
          Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsChangedMessageId() {
      assertRejected(
          () ->
              VERIFIER.verifyStandardWebhook(
                  BODY, "0WB000000000002", TIMESTAMP_TEXT, STANDARD_SIGNATURE),
          Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsChangedTimestampEvenWithinTolerance() {
      assertRejected(
          () ->
              VERIFIER.verifyStandardWebhook(
                  BODY, MESSAGE_ID, Long.toString(TIMESTAMP + 1), STANDARD_SIGNATURE),
          Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsSignatureWithoutVersionPrefix() {
      String bare = STANDARD_SIGNATURE.substring("v1,".length());
      assertRejected(
              () -> VERIFIER.verifyStandardWebhook(BODY, MESSAGE_ID, TIMESTAMP_TEXT, bare),
              Reason.MALFORMED_HEADER)
          .hasMessageStartingWith("Malformed webhook-signature header: no v1,<base64> signature");
    }

    @Test
    void rejectsHeaderWhoseOnlySignatureIsNotBase64() {
      assertRejected(
              () -> VERIFIER.verifyStandardWebhook(BODY, MESSAGE_ID, TIMESTAMP_TEXT, "v1,%%%"),
              Reason.MALFORMED_HEADER)
          .hasMessage(
              "Malformed webhook-signature header: no v1 signature is valid base64 in 'v1,%%%'");
    }

    @Test
    void rejectsNonNumericTimestamp() {
      assertRejected(
              () ->
                  VERIFIER.verifyStandardWebhook(
                      BODY, MESSAGE_ID, "2024-01-15T10:40:00Z", STANDARD_SIGNATURE),
              Reason.MALFORMED_HEADER)
          .hasMessage(
              "Malformed webhook-timestamp header: expected Unix seconds, got"
                  + " '2024-01-15T10:40:00Z'");
    }

    @Test
    void rejectsSignedOrFractionalOrHugeTimestamp() {
      for (String timestamp : List.of("+1705315200", "-1705315200", "1705315200.0", "1e9")) {
        assertRejected(
            () -> VERIFIER.verifyStandardWebhook(BODY, MESSAGE_ID, timestamp, STANDARD_SIGNATURE),
            Reason.MALFORMED_HEADER);
      }
      assertRejected(
              () ->
                  VERIFIER.verifyStandardWebhook(
                      BODY, MESSAGE_ID, "9".repeat(100), STANDARD_SIGNATURE),
              Reason.MALFORMED_HEADER)
          .hasMessageContaining("...(100 chars)");
    }

    @Test
    void rejectsEachMissingHeader() {
      assertRejected(
              () -> VERIFIER.verifyStandardWebhook(BODY, null, TIMESTAMP_TEXT, STANDARD_SIGNATURE),
              Reason.MISSING_HEADER)
          .hasMessage("Missing webhook-id header");
      assertRejected(
              () -> VERIFIER.verifyStandardWebhook(BODY, MESSAGE_ID, "", STANDARD_SIGNATURE),
              Reason.MISSING_HEADER)
          .hasMessage("Missing webhook-timestamp header");
      assertRejected(
              () -> VERIFIER.verifyStandardWebhook(BODY, MESSAGE_ID, TIMESTAMP_TEXT, null),
              Reason.MISSING_HEADER)
          .hasMessage("Missing webhook-signature header");
    }
  }

  @Nested
  class Tolerance {

    private void verifyAt(WebhookVerifier verifier, long now) {
      verifier
          .withClock(clockAt(now))
          .verifyStandardWebhook(BODY, MESSAGE_ID, TIMESTAMP_TEXT, STANDARD_SIGNATURE);
    }

    @Test
    void acceptsTimestampExactlyFiveMinutesOld() {
      assertThatCode(() -> verifyAt(VERIFIER, TIMESTAMP + 300)).doesNotThrowAnyException();
    }

    @Test
    void rejectsTimestampOlderThanTolerance() {
      assertRejected(() -> verifyAt(VERIFIER, TIMESTAMP + 301), Reason.TIMESTAMP_TOO_OLD)
          .hasMessage(
              "webhook-timestamp 1705315200 is too old: 301 s before the current time"
                  + " 1705315501, tolerance 300 s");
    }

    @Test
    void acceptsTimestampExactlyFiveMinutesInTheFuture() {
      assertThatCode(() -> verifyAt(VERIFIER, TIMESTAMP - 300)).doesNotThrowAnyException();
    }

    @Test
    void rejectsTimestampNewerThanTolerance() {
      assertRejected(() -> verifyAt(VERIFIER, TIMESTAMP - 301), Reason.TIMESTAMP_TOO_NEW)
          .hasMessage(
              "webhook-timestamp 1705315200 is too new: 301 s after the current time"
                  + " 1705314899, tolerance 300 s");
    }

    @Test
    void ignoresFractionsOfTheCurrentSecond() {
      Clock almostNextSecond =
          Clock.fixed(Instant.ofEpochSecond(TIMESTAMP + 300, 999_999_999), ZoneOffset.UTC);
      assertThatCode(
              () ->
                  VERIFIER
                      .withClock(almostNextSecond)
                      .verifyStandardWebhook(BODY, MESSAGE_ID, TIMESTAMP_TEXT, STANDARD_SIGNATURE))
          .doesNotThrowAnyException();
    }

    @Test
    void appliesCustomTolerance() {
      WebhookVerifier strict = VERIFIER.withTolerance(Duration.ofSeconds(10));
      assertThatCode(() -> verifyAt(strict, TIMESTAMP + 10)).doesNotThrowAnyException();
      assertThatCode(() -> verifyAt(strict, TIMESTAMP - 10)).doesNotThrowAnyException();
      assertRejected(() -> verifyAt(strict, TIMESTAMP + 11), Reason.TIMESTAMP_TOO_OLD);
      assertRejected(() -> verifyAt(strict, TIMESTAMP - 11), Reason.TIMESTAMP_TOO_NEW);
    }

    @Test
    void acceptsOnlyTheCurrentSecondWithZeroTolerance() {
      WebhookVerifier exact = VERIFIER.withTolerance(Duration.ZERO);
      assertThatCode(() -> verifyAt(exact, TIMESTAMP)).doesNotThrowAnyException();
      assertRejected(() -> verifyAt(exact, TIMESTAMP + 1), Reason.TIMESTAMP_TOO_OLD);
    }

    @Test
    void reportsBadSignatureRatherThanStaleTimestampForForgedRequests() {
      assertRejected(
          () ->
              VERIFIER
                  .withClock(clockAt(TIMESTAMP + 3600))
                  .verifyStandardWebhook(TAMPERED, MESSAGE_ID, TIMESTAMP_TEXT, STANDARD_SIGNATURE),
          Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void refusesNegativeTolerance() {
      assertThatThrownBy(() -> VERIFIER.withTolerance(Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leavesTheOriginalVerifierUnchanged() {
      VERIFIER.withTolerance(Duration.ZERO).withClock(clockAt(0));
      assertThatCode(() -> verifyAt(VERIFIER, TIMESTAMP + 300)).doesNotThrowAnyException();
    }
  }

  @Nested
  class HeaderMap {

    @Test
    void verifiesStandardWebhooksHeaders() {
      assertThatCode(() -> VERIFIER.verify(BODY, standardHeaders(STANDARD_SIGNATURE)))
          .doesNotThrowAnyException();
    }

    @Test
    void matchesHeaderNamesCaseInsensitively() {
      Map<String, List<String>> headers =
          Map.of(
              "Webhook-Id", List.of(MESSAGE_ID),
              "WEBHOOK-TIMESTAMP", List.of(TIMESTAMP_TEXT),
              "Webhook-Signature", List.of(STANDARD_SIGNATURE));
      assertThatCode(() -> VERIFIER.verify(BODY, headers)).doesNotThrowAnyException();
      assertThatCode(
              () -> VERIFIER.verify(BODY, Map.of("x-oktopost-signature", List.of(HMAC_SHA256_HEX))))
          .doesNotThrowAnyException();
      assertThatCode(
              () -> VERIFIER.verify(BODY, Map.of("X-OKTOPOST-SECRET", List.of(HMAC_SHA1_HEX))))
          .doesNotThrowAnyException();
    }

    @Test
    void prefersStandardWebhooksOverOktopostHeaders() {
      Map<String, List<String>> headers = new HashMap<>(standardHeaders(STANDARD_SIGNATURE));
      headers.put("X-Oktopost-Signature", List.of(HMAC_SHA256_HEX));

      // Valid Oktopost signatures do not rescue a delivery whose Standard Webhooks check fails.
      WebhookVerifier later = VERIFIER.withClock(clockAt(TIMESTAMP + 3600));
      assertRejected(() -> later.verify(BODY, headers), Reason.TIMESTAMP_TOO_OLD);
    }

    @Test
    void prefersOktopostSignatureOverOktopostSecret() {
      Map<String, List<String>> headers =
          Map.of(
              "X-Oktopost-Signature", List.of(HMAC_SHA256_HEX),
              "X-Oktopost-Secret", List.of("0".repeat(40)));
      assertThatCode(() -> VERIFIER.verify(BODY, headers)).doesNotThrowAnyException();

      Map<String, List<String>> badSignature =
          Map.of(
              "X-Oktopost-Signature", List.of("0".repeat(64)),
              "X-Oktopost-Secret", List.of(HMAC_SHA1_HEX));
      assertRejected(() -> VERIFIER.verify(BODY, badSignature), Reason.SIGNATURE_MISMATCH)
          .hasMessageStartingWith("X-Oktopost-Signature does not match");
    }

    @Test
    void fallsBackToOktopostSecretAlone() {
      assertThatCode(
              () -> VERIFIER.verify(BODY, Map.of("X-Oktopost-Secret", List.of(HMAC_SHA1_HEX))))
          .doesNotThrowAnyException();
    }

    @Test
    void rejectsRequestWithoutSignatureHeaders() {
      Map<String, List<String>> headers =
          Map.of(
              "Content-Type", List.of("application/json"),
              "X-Oktopost-Webhook", List.of("0WA000000000001"));
      assertRejected(() -> VERIFIER.verify(BODY, headers), Reason.MISSING_HEADER)
          .hasMessage(
              "No signature headers: expected webhook-id, webhook-timestamp, webhook-signature,"
                  + " or X-Oktopost-Signature, or X-Oktopost-Secret");
    }

    @Test
    void rejectsIncompleteStandardWebhooksHeadersEvenWithOktopostSignature() {
      Map<String, List<String>> headers =
          Map.of(
              "webhook-id", List.of(MESSAGE_ID),
              "webhook-signature", List.of(STANDARD_SIGNATURE),
              "X-Oktopost-Signature", List.of(HMAC_SHA256_HEX));
      assertRejected(() -> VERIFIER.verify(BODY, headers), Reason.MISSING_HEADER)
          .hasMessage("Missing webhook-timestamp header");
    }

    @Test
    void rejectsOktopostHeadersAloneWhenStandardWebhooksAreRequired() {
      WebhookVerifier strict = VERIFIER.requireStandardWebhooks();
      assertRejected(
              () -> strict.verify(BODY, Map.of("X-Oktopost-Signature", List.of(HMAC_SHA256_HEX))),
              Reason.MISSING_HEADER)
          .hasMessageContaining("does not accept X-Oktopost-Signature or X-Oktopost-Secret alone");
      assertThatCode(() -> strict.verify(BODY, standardHeaders(STANDARD_SIGNATURE)))
          .doesNotThrowAnyException();
    }

    @Test
    void combinesRepeatedSignatureHeaders() {
      Map<String, List<String>> headers =
          Map.of(
              "webhook-id", List.of(MESSAGE_ID),
              "webhook-timestamp", List.of(TIMESTAMP_TEXT),
              "webhook-signature", List.of(STANDARD_SIGNATURE_OLD_SECRET, STANDARD_SIGNATURE));
      assertThatCode(() -> VERIFIER.verify(BODY, headers)).doesNotThrowAnyException();
    }

    @Test
    void combinesSignatureHeadersSpelledWithDifferentCase() {
      Map<String, List<String>> headers = new TreeMap<>();
      headers.putAll(standardHeaders(STANDARD_SIGNATURE_OLD_SECRET));
      headers.put("Webhook-Signature", List.of(STANDARD_SIGNATURE));
      assertThatCode(() -> VERIFIER.verify(BODY, headers)).doesNotThrowAnyException();
    }

    @Test
    void rejectsConflictingRepeatedTimestamps() {
      Map<String, List<String>> headers = new HashMap<>(standardHeaders(STANDARD_SIGNATURE));
      headers.put("webhook-timestamp", List.of(TIMESTAMP_TEXT, "1"));
      assertRejected(() -> VERIFIER.verify(BODY, headers), Reason.MALFORMED_HEADER)
          .hasMessage("Header webhook-timestamp occurs several times with different values");
    }

    @Test
    void toleratesIdenticalRepeatedHeaders() {
      Map<String, List<String>> headers = new HashMap<>(standardHeaders(STANDARD_SIGNATURE));
      headers.put("webhook-id", List.of(MESSAGE_ID, MESSAGE_ID));
      assertThatCode(() -> VERIFIER.verify(BODY, headers)).doesNotThrowAnyException();
    }

    @Test
    void skipsNullKeysAndValues() {
      Map<String, List<String>> headers = new HashMap<>();
      headers.put(null, List.of("HTTP/1.1 200 OK")); // as in HttpURLConnection.getHeaderFields()
      headers.put("X-Oktopost-Secret", null);
      headers.put("X-Oktopost-Signature", List.of(HMAC_SHA256_HEX));
      assertThatCode(() -> VERIFIER.verify(BODY, headers)).doesNotThrowAnyException();
    }
  }

  @Nested
  class HeaderFunction {

    /** Case-insensitive lookup, like {@code HttpServletRequest.getHeader}. */
    private Function<String, String> request(Map<String, String> headers) {
      Map<String, String> lower = new HashMap<>();
      headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
      return name -> lower.get(name.toLowerCase(Locale.ROOT));
    }

    @Test
    void verifiesWithAHeaderLookupFunction() {
      Function<String, String> headers =
          request(
              Map.of(
                  "Webhook-Id", MESSAGE_ID,
                  "Webhook-Timestamp", TIMESTAMP_TEXT,
                  "Webhook-Signature", STANDARD_SIGNATURE + " " + STANDARD_SIGNATURE_OLD_SECRET));
      assertThatCode(() -> VERIFIER.verify(BODY, headers)).doesNotThrowAnyException();
    }

    @Test
    void rejectsTamperedBodyViaHeaderLookupFunction() {
      Function<String, String> headers = request(Map.of("X-Oktopost-Signature", HMAC_SHA256_HEX));
      assertRejected(() -> VERIFIER.verify(TAMPERED, headers), Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void treatsBlankHeadersAsMissing() {
      Function<String, String> headers =
          request(Map.of("webhook-signature", " ", "X-Oktopost-Secret", HMAC_SHA1_HEX));
      assertThatCode(() -> VERIFIER.verify(BODY, headers)).doesNotThrowAnyException();
    }

    @Test
    void rejectsRequestWithNoHeadersAtAll() {
      assertRejected(() -> VERIFIER.verify(BODY, name -> null), Reason.MISSING_HEADER);
    }
  }

  @Nested
  class Construction {

    @Test
    void requiresAtLeastOneSecret() {
      assertThatThrownBy(() -> WebhookVerifier.of(new String[0]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("at least one secret is required");
    }

    @Test
    void refusesEmptySecret() {
      assertThatThrownBy(() -> WebhookVerifier.of(SECRET, ""))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("secret must not be empty");
    }

    @Test
    void refusesNullSecret() {
      assertThatThrownBy(() -> WebhookVerifier.of((String) null))
          .isInstanceOf(NullPointerException.class);
    }
  }

  @Nested
  class StandardWebhooksKeys {
    /** Receivers copy the whsec_ key from the Secret page; it names the same key as the Secret. */
    @Test
    void aVerifierMadeWithTheWhsecKeyAcceptsEveryHeader() {
      WebhookVerifier fromKey =
          WebhookVerifier.of(STANDARD_WEBHOOKS_KEY).withClock(clockAt(TIMESTAMP));

      fromKey.verifyOktopostSecret(BODY, HMAC_SHA1_HEX);
      fromKey.verifyOktopostSignature(BODY, HMAC_SHA256_HEX);
      fromKey.verify(BODY, standardHeaders(STANDARD_SIGNATURE));
    }

    @Test
    void theWhsecKeyOfANonAsciiSecretNamesItsUtf8Bytes() {
      WebhookVerifier.of(UNICODE_SECRET_STANDARD_WEBHOOKS_KEY)
          .verifyOktopostSignature(BODY, UNICODE_SECRET_HMAC_SHA256_HEX);
    }

    @Test
    void aWhsecKeyOfAnotherSecretIsRejected() {
      assertRejected(
          () ->
              WebhookVerifier.of(UNICODE_SECRET_STANDARD_WEBHOOKS_KEY)
                  .verifyOktopostSignature(BODY, HMAC_SHA256_HEX),
          Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void aWhsecKeyThatIsNotBase64IsRefusedWhenTheVerifierIsMade() {
      assertThatThrownBy(() -> WebhookVerifier.of("whsec_not base64!"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("whsec_");
      assertThatThrownBy(() -> WebhookVerifier.of("whsec_"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
