package io.hookwire.verify;

import io.hookwire.verify.WebhookVerificationException.Reason;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Verifies that a request really is a Hookwire delivery for a webhook whose Secret you know.
 *
 * <p>Pass the raw request body, exactly the bytes received, before any JSON parsing, together with
 * the request headers:
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.of(System.getenv("HOOKWIRE_SECRET"));
 * verifier.verify(body, request::getHeader); // throws WebhookVerificationException
 * List<Envelope> envelopes = Envelopes.parse(body);
 * }</pre>
 *
 * <p>{@link #verify(byte[], Function)} checks the strongest signature the request carries:
 *
 * <ol>
 *   <li>the <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> headers {@code
 *       webhook-id}, {@code webhook-timestamp} and {@code webhook-signature} when any of them is
 *       present (all three are then required, and the timestamp must be within the {@linkplain
 *       #withTolerance tolerance} of the clock, which protects against replays);
 *   <li>otherwise {@code X-Oktopost-Signature} (HMAC-SHA256 of the body);
 *   <li>otherwise {@code X-Oktopost-Secret} (HMAC-SHA1 of the body).
 * </ol>
 *
 * <p>The {@code X-Oktopost-*} signatures carry no timestamp, so a captured delivery can be replayed
 * with them. Receivers that do not need them should use {@link #requireStandardWebhooks()}.
 *
 * <p>Instances are immutable and thread-safe; the {@code with...} methods return modified copies.
 * All signature comparisons are constant-time.
 */
public final class WebhookVerifier {

  /** Default maximum difference between {@code webhook-timestamp} and the clock: 5 minutes. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  /** Standard Webhooks message id header. */
  public static final String WEBHOOK_ID = "webhook-id";

  /** Standard Webhooks timestamp header (Unix seconds). */
  public static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";

  /** Standard Webhooks signature header: space-separated {@code v1,<base64>} signatures. */
  public static final String WEBHOOK_SIGNATURE = "webhook-signature";

  /** Header with the lowercase hex HMAC-SHA256 of the body. */
  public static final String OKTOPOST_SIGNATURE = "X-Oktopost-Signature";

  /** Header with the lowercase hex HMAC-SHA1 of the body. */
  public static final String OKTOPOST_SECRET = "X-Oktopost-Secret";

  private static final int MAX_ECHOED_CHARS = 40;

  private final List<byte[]> keys;
  private final Duration tolerance;
  private final Clock clock;
  private final boolean standardWebhooksRequired;

  private WebhookVerifier(
      List<byte[]> keys, Duration tolerance, Clock clock, boolean standardWebhooksRequired) {
    this.keys = keys;
    this.tolerance = tolerance;
    this.clock = clock;
    this.standardWebhooksRequired = standardWebhooksRequired;
  }

  /**
   * Creates a verifier for one webhook Secret, with the {@linkplain #DEFAULT_TOLERANCE default
   * tolerance} and the system clock.
   *
   * @param secret the webhook Secret, as shown when the webhook was created
   * @return a verifier
   * @throws IllegalArgumentException if the secret is empty
   */
  public static WebhookVerifier of(String secret) {
    return of(new String[] {secret});
  }

  /**
   * Creates a verifier that accepts a delivery signed with any of the given Secrets. Use this while
   * you roll a Secret out to your receivers, or to accept several webhooks on one endpoint.
   *
   * @param secrets one or more webhook Secrets
   * @return a verifier
   * @throws IllegalArgumentException if no secret is given or one is empty
   */
  public static WebhookVerifier of(String... secrets) {
    Objects.requireNonNull(secrets, "secrets");
    if (secrets.length == 0) {
      throw new IllegalArgumentException("at least one secret is required");
    }
    List<byte[]> keys = new ArrayList<>(secrets.length);
    for (String secret : secrets) {
      keys.add(Signatures.key(secret));
    }
    return new WebhookVerifier(
        List.copyOf(keys),
        DEFAULT_TOLERANCE,
        Clock.systemUTC(),
        /* standardWebhooksRequired= */ false);
  }

  /**
   * Returns a copy that accepts a {@code webhook-timestamp} at most {@code tolerance} before or
   * after the clock (boundaries included).
   *
   * @param tolerance zero or positive; compared with the difference in whole seconds
   * @return a modified copy
   */
  public WebhookVerifier withTolerance(Duration tolerance) {
    Objects.requireNonNull(tolerance, "tolerance");
    if (tolerance.isNegative()) {
      throw new IllegalArgumentException("tolerance must not be negative: " + tolerance);
    }
    return new WebhookVerifier(keys, tolerance, clock, standardWebhooksRequired);
  }

  /**
   * Returns a copy that reads the current time from {@code clock}, for tests.
   *
   * @param clock the clock to compare {@code webhook-timestamp} with
   * @return a modified copy
   */
  public WebhookVerifier withClock(Clock clock) {
    return new WebhookVerifier(
        keys, tolerance, Objects.requireNonNull(clock, "clock"), standardWebhooksRequired);
  }

  /**
   * Returns a copy whose {@code verify} methods reject requests without the Standard Webhooks
   * headers instead of falling back to {@code X-Oktopost-Signature} or {@code X-Oktopost-Secret},
   * so that every accepted delivery passed the timestamp (replay) check.
   *
   * @return a modified copy
   */
  public WebhookVerifier requireStandardWebhooks() {
    return new WebhookVerifier(keys, tolerance, clock, true);
  }

  /**
   * Verifies a delivery, looking headers up in a map such as the JDK HTTP server's {@code
   * com.sun.net.httpserver.Headers} or {@code java.net.http.HttpHeaders.map()}. Header names are
   * matched case-insensitively. If a header occurs several times, the {@code webhook-signature}
   * values are combined; for the other headers the values must be identical.
   *
   * @param body the raw request body, exactly as received
   * @param headers the request headers
   * @throws WebhookVerificationException if the delivery cannot be verified
   */
  public void verify(byte[] body, Map<String, List<String>> headers) {
    Objects.requireNonNull(headers, "headers");
    verify(body, name -> lookup(headers, name));
  }

  /**
   * Verifies a delivery, looking headers up with a function such as a servlet's {@code
   * request::getHeader}, Javalin's {@code ctx::header} or Spring's {@code httpHeaders::getFirst}.
   * The function must match header names case-insensitively (as those do) and return {@code null}
   * for an absent header.
   *
   * @param body the raw request body, exactly as received
   * @param headers returns the value of the header with the given name, or {@code null}
   * @throws WebhookVerificationException if the delivery cannot be verified
   */
  public void verify(byte[] body, Function<String, String> headers) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(headers, "headers");
    String id = present(headers.apply(WEBHOOK_ID));
    String timestamp = present(headers.apply(WEBHOOK_TIMESTAMP));
    String signature = present(headers.apply(WEBHOOK_SIGNATURE));
    if (id != null || timestamp != null || signature != null) {
      verifyStandardWebhook(body, id, timestamp, signature);
      return;
    }
    if (standardWebhooksRequired) {
      throw new WebhookVerificationException(
          Reason.MISSING_HEADER,
          "Missing Standard Webhooks headers "
              + String.join(", ", WEBHOOK_ID, WEBHOOK_TIMESTAMP, WEBHOOK_SIGNATURE)
              + " (this verifier does not accept "
              + OKTOPOST_SIGNATURE
              + " or "
              + OKTOPOST_SECRET
              + " alone)");
    }
    String sha256 = present(headers.apply(OKTOPOST_SIGNATURE));
    if (sha256 != null) {
      verifyOktopostSignature(body, sha256);
      return;
    }
    String sha1 = present(headers.apply(OKTOPOST_SECRET));
    if (sha1 != null) {
      verifyOktopostSecret(body, sha1);
      return;
    }
    throw new WebhookVerificationException(
        Reason.MISSING_HEADER,
        "No signature headers: expected "
            + String.join(", ", WEBHOOK_ID, WEBHOOK_TIMESTAMP, WEBHOOK_SIGNATURE)
            + ", or "
            + OKTOPOST_SIGNATURE
            + ", or "
            + OKTOPOST_SECRET);
  }

  /**
   * Verifies the {@code X-Oktopost-Secret} header: lowercase hex HMAC-SHA1 of the body.
   *
   * @param body the raw request body, exactly as received
   * @param hexHeader the header value
   * @throws WebhookVerificationException if the header is missing, malformed or does not match
   */
  public void verifyOktopostSecret(byte[] body, String hexHeader) {
    verifyHex(OKTOPOST_SECRET, "HmacSHA1", 20, body, hexHeader);
  }

  /**
   * Verifies the {@code X-Oktopost-Signature} header: lowercase hex HMAC-SHA256 of the body.
   *
   * @param body the raw request body, exactly as received
   * @param hexHeader the header value
   * @throws WebhookVerificationException if the header is missing, malformed or does not match
   */
  public void verifyOktopostSignature(byte[] body, String hexHeader) {
    verifyHex(OKTOPOST_SIGNATURE, "HmacSHA256", 32, body, hexHeader);
  }

  /**
   * Verifies the Standard Webhooks headers. The delivery is accepted if any {@code v1} signature in
   * {@code signatureHeader} matches any configured Secret (during a rotation the header carries one
   * signature per Secret) and the timestamp is within the tolerance. Signatures of other versions
   * are ignored.
   *
   * @param body the raw request body, exactly as received
   * @param id the {@code webhook-id} header value
   * @param timestamp the {@code webhook-timestamp} header value, in Unix seconds
   * @param signatureHeader the {@code webhook-signature} header value
   * @throws WebhookVerificationException if a header is missing or malformed, no signature matches,
   *     or the timestamp is outside the tolerance
   */
  public void verifyStandardWebhook(
      byte[] body, String id, String timestamp, String signatureHeader) {
    Objects.requireNonNull(body, "body");
    id = require(WEBHOOK_ID, id);
    timestamp = require(WEBHOOK_TIMESTAMP, timestamp);
    signatureHeader = require(WEBHOOK_SIGNATURE, signatureHeader);
    long seconds = parseTimestamp(timestamp);

    List<byte[]> candidates = new ArrayList<>();
    boolean sawV1 = false;
    for (String entry : signatureHeader.split("\\s+")) {
      int comma = entry.indexOf(',');
      if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
        continue; // other signature versions (e.g. v1a) are not ours to check
      }
      sawV1 = true;
      try {
        candidates.add(Base64.getDecoder().decode(entry.substring(comma + 1)));
      } catch (IllegalArgumentException notBase64) {
        // A malformed entry cannot match; another entry still may.
      }
    }
    if (candidates.isEmpty()) {
      throw new WebhookVerificationException(
          Reason.MALFORMED_HEADER,
          "Malformed "
              + WEBHOOK_SIGNATURE
              + " header: "
              + (sawV1 ? "no v1 signature is valid base64" : "no v1,<base64> signature")
              + " in '"
              + echo(signatureHeader)
              + "'");
    }
    boolean matched = false;
    for (byte[] key : keys) {
      byte[] expected = Signatures.standardWebhookMac(key, id, seconds, body);
      for (byte[] candidate : candidates) {
        matched |= MessageDigest.isEqual(expected, candidate);
      }
    }
    if (!matched) {
      throw new WebhookVerificationException(
          Reason.SIGNATURE_MISMATCH,
          "No signature in "
              + WEBHOOK_SIGNATURE
              + " matches: wrong secret, or the body, "
              + WEBHOOK_ID
              + " or "
              + WEBHOOK_TIMESTAMP
              + " was modified");
    }
    checkTimestamp(seconds);
  }

  private void verifyHex(
      String header, String algorithm, int macLength, byte[] body, String hexHeader) {
    Objects.requireNonNull(body, "body");
    String hex = require(header, hexHeader);
    if (hex.length() != 2 * macLength || !isHex(hex)) {
      throw new WebhookVerificationException(
          Reason.MALFORMED_HEADER,
          "Malformed "
              + header
              + " header: expected "
              + 2 * macLength
              + " hex digits, got '"
              + echo(hex)
              + "'");
    }
    byte[] received = HexFormat.of().parseHex(hex);
    boolean matched = false;
    for (byte[] key : keys) {
      matched |= MessageDigest.isEqual(Signatures.hmac(algorithm, key, body), received);
    }
    if (!matched) {
      throw new WebhookVerificationException(
          Reason.SIGNATURE_MISMATCH,
          header + " does not match: wrong secret, or the body was modified");
    }
  }

  private void checkTimestamp(long seconds) {
    long now = clock.instant().getEpochSecond();
    long diff = seconds - now; // no overflow: both are far from the long range (see parse)
    if (Duration.ofSeconds(Math.abs(diff)).compareTo(tolerance) > 0) {
      boolean old = diff < 0;
      throw new WebhookVerificationException(
          old ? Reason.TIMESTAMP_TOO_OLD : Reason.TIMESTAMP_TOO_NEW,
          WEBHOOK_TIMESTAMP
              + " "
              + seconds
              + " is too "
              + (old ? "old" : "new")
              + ": "
              + Math.abs(diff)
              + " s "
              + (old ? "before" : "after")
              + " the current time "
              + now
              + ", tolerance "
              + tolerance.toSeconds()
              + " s");
    }
  }

  private static long parseTimestamp(String timestamp) {
    // Unix seconds: digits only (no sign), at most 15 digits (about 31 million years).
    if (timestamp.length() > 15 || !timestamp.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new WebhookVerificationException(
          Reason.MALFORMED_HEADER,
          "Malformed "
              + WEBHOOK_TIMESTAMP
              + " header: expected Unix seconds, got '"
              + echo(timestamp)
              + "'");
    }
    return Long.parseLong(timestamp);
  }

  private static boolean isHex(String s) {
    return s.chars().allMatch(HexFormat::isHexDigit);
  }

  private static String require(String header, String value) {
    String v = present(value);
    if (v == null) {
      throw new WebhookVerificationException(
          Reason.MISSING_HEADER, "Missing " + header + " header");
    }
    return v;
  }

  /** Trimmed value, or {@code null} if absent or blank. */
  private static String present(String value) {
    if (value == null) {
      return null;
    }
    String trimmed = value.strip();
    return trimmed.isEmpty() ? null : trimmed;
  }

  private static String lookup(Map<String, List<String>> headers, String name) {
    List<String> values = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && e.getValue() != null) {
        for (String value : e.getValue()) {
          String v = present(value);
          if (v != null && (name.equals(WEBHOOK_SIGNATURE) || !values.contains(v))) {
            values.add(v);
          }
        }
      }
    }
    if (values.size() > 1 && !name.equals(WEBHOOK_SIGNATURE)) {
      throw new WebhookVerificationException(
          Reason.MALFORMED_HEADER,
          "Header " + name + " occurs several times with different values");
    }
    return values.isEmpty() ? null : String.join(" ", values);
  }

  /** A header value shortened and stripped of control characters, safe to put in a message. */
  private static String echo(String value) {
    String shown =
        value.length() <= MAX_ECHOED_CHARS
            ? value
            : value.substring(0, MAX_ECHOED_CHARS) + "...(" + value.length() + " chars)";
    return shown.replaceAll("\\p{Cntrl}", "?");
  }
}
