package io.hookwire.signing;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature headers of one delivery, in the three schemes a receiver may check:
 *
 * <ul>
 *   <li>{@code X-Oktopost-Secret}: hex HMAC-SHA1 of the raw body, keyed with the Secret (the help
 *       article; Oktopost's own SDK verifies exactly this);
 *   <li>{@code X-Oktopost-Signature}: hex HMAC-SHA256 of the raw body (the API reference's Node
 *       snippet);
 *   <li>Standard Webhooks: {@code v1,} + base64 HMAC-SHA256 of {@code id.timestamp.body}, keyed
 *       with the Secret's UTF-8 bytes (which a Standard Webhooks verifier takes as {@code whsec_} +
 *       base64 of them). During a rotation it lists one signature per live secret.
 * </ul>
 */
public final class Signer {
  private Signer() {}

  /**
   * @param secrets the current secret first, then any still within their rotation grace period
   * @param messageId the Standard Webhooks message id: stable across retries of the same request
   */
  public static Map<String, String> headers(
      List<String> secrets, String messageId, long unixSeconds, byte[] body) {
    String current = secrets.get(0);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Oktopost-Secret", hex(hmac("HmacSHA1", current, body)));
    headers.put("X-Oktopost-Signature", hex(hmac("HmacSHA256", current, body)));
    headers.put("webhook-id", messageId);
    headers.put("webhook-timestamp", Long.toString(unixSeconds));
    StringBuilder signatures = new StringBuilder();
    byte[] prefix = (messageId + "." + unixSeconds + ".").getBytes(StandardCharsets.UTF_8);
    for (String secret : secrets) {
      if (!signatures.isEmpty()) {
        signatures.append(' ');
      }
      signatures
          .append("v1,")
          .append(Base64.getEncoder().encodeToString(hmac("HmacSHA256", secret, prefix, body)));
    }
    headers.put("webhook-signature", signatures.toString());
    return headers;
  }

  /** The key a Standard Webhooks library takes for this Secret. */
  public static String standardWebhooksKey(String secret) {
    return "whsec_" + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] hmac(String algorithm, String secret, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(algorithm + " is unavailable", e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
