package io.hookwire.verify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Computes the signatures Hookwire attaches to a delivery. Every signature is an HMAC keyed with
 * the UTF-8 bytes of the webhook Secret and computed over the raw body bytes exactly as sent.
 *
 * <ul>
 *   <li>{@code X-Oktopost-Secret}: {@link #hmacSha1Hex lowercase hex HMAC-SHA1} of the body.
 *   <li>{@code X-Oktopost-Signature}: {@link #hmacSha256Hex lowercase hex HMAC-SHA256} of the body.
 *   <li>{@code webhook-signature}: {@link #standardWebhook v1,base64(HMAC-SHA256)} of {@code id +
 *       "." + timestamp + "." + body}, as defined by <a
 *       href="https://www.standardwebhooks.com/">Standard Webhooks</a>.
 * </ul>
 *
 * <p>Useful for tests and for receivers that do not use {@link WebhookVerifier}. To compare a
 * computed signature with a received one, use a constant-time comparison such as {@link
 * java.security.MessageDigest#isEqual}.
 */
public final class Signatures {

  /** Prefix of a Standard Webhooks key string. */
  public static final String STANDARD_WEBHOOKS_KEY_PREFIX = "whsec_";

  private static final HexFormat HEX = HexFormat.of();

  private Signatures() {}

  /**
   * Computes the value of the {@code X-Oktopost-Secret} header.
   *
   * @param secret the webhook Secret
   * @param body the raw request body
   * @return lowercase hex HMAC-SHA1 of {@code body}, keyed with the Secret's UTF-8 bytes
   */
  public static String hmacSha1Hex(String secret, byte[] body) {
    return HEX.formatHex(hmac("HmacSHA1", key(secret), body));
  }

  /**
   * Computes the value of the {@code X-Oktopost-Signature} header.
   *
   * @param secret the webhook Secret
   * @param body the raw request body
   * @return lowercase hex HMAC-SHA256 of {@code body}, keyed with the Secret's UTF-8 bytes
   */
  public static String hmacSha256Hex(String secret, byte[] body) {
    return HEX.formatHex(hmac("HmacSHA256", key(secret), body));
  }

  /**
   * Computes one Standard Webhooks signature, as found in the {@code webhook-signature} header.
   *
   * @param secret the webhook Secret
   * @param id the {@code webhook-id} header value
   * @param timestamp the {@code webhook-timestamp} header value, in Unix seconds
   * @param body the raw request body
   * @return {@code "v1," + base64(HMAC-SHA256(secretUtf8, id + "." + timestamp + "." + body))}
   */
  public static String standardWebhook(String secret, String id, long timestamp, byte[] body) {
    return standardWebhook(key(secret), id, timestamp, body);
  }

  /**
   * Returns the key string a Standard Webhooks library expects for this Secret.
   *
   * @param secret the webhook Secret
   * @return {@code "whsec_" + base64(secretUtf8)}
   */
  public static String standardWebhooksKey(String secret) {
    return STANDARD_WEBHOOKS_KEY_PREFIX + Base64.getEncoder().encodeToString(key(secret));
  }

  static String standardWebhook(byte[] key, String id, long timestamp, byte[] body) {
    return "v1," + Base64.getEncoder().encodeToString(standardWebhookMac(key, id, timestamp, body));
  }

  static byte[] standardWebhookMac(byte[] key, String id, long timestamp, byte[] body) {
    Objects.requireNonNull(id, "id");
    byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    return hmac("HmacSHA256", key, prefix, body);
  }

  static byte[] hmac(String algorithm, byte[] key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      for (byte[] part : parts) {
        mac.update(Objects.requireNonNull(part, "body"));
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      // HmacSHA1 and HmacSHA256 are mandatory in every Java SE implementation.
      throw new IllegalStateException(algorithm + " is not available", e);
    }
  }

  /**
   * The HMAC key of a Secret, given as the Secret itself or as its Standard Webhooks key ({@code
   * whsec_} + base64 of the Secret): both name the same key. A Secret as Hookwire makes it is 64
   * hex digits, so it never starts with {@code whsec_}.
   */
  static byte[] key(String secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("secret must not be empty");
    }
    if (secret.startsWith(STANDARD_WEBHOOKS_KEY_PREFIX)) {
      byte[] key;
      try {
        key = Base64.getDecoder().decode(secret.substring(STANDARD_WEBHOOKS_KEY_PREFIX.length()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("a whsec_ key must be whsec_ followed by base64", e);
      }
      if (key.length == 0) {
        throw new IllegalArgumentException("a whsec_ key must not be empty");
      }
      return key;
    }
    return secret.getBytes(StandardCharsets.UTF_8);
  }
}
