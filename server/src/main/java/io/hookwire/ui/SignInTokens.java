package io.hookwire.ui;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sign-in form's anti-forgery token, sent as a cookie and as a form field (double submit). Only
 * this server can make one: it is a random nonce and an expiry with an HMAC of both under a key
 * derived from the master key, so every node accepts a token any node issued, and a cookie planted
 * by another site (with a field to match) is refused.
 */
final class SignInTokens {
  /** Long enough for a sign-in page left open over lunch. */
  static final Duration VALID = Duration.ofHours(2);

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final Clock clock;

  SignInTokens(byte[] key, Clock clock) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
    this.clock = clock;
  }

  String issue() {
    byte[] nonce = new byte[32];
    RANDOM.nextBytes(nonce);
    String body = B64.encodeToString(nonce) + "." + clock.instant().plus(VALID).getEpochSecond();
    return body + "." + mac(body);
  }

  /** Whether the cookie and the field are the same token, made here and not expired. */
  boolean accepts(String cookie, String field) {
    if (cookie == null
        || field == null
        || !MessageDigest.isEqual(
            cookie.getBytes(StandardCharsets.UTF_8), field.getBytes(StandardCharsets.UTF_8))) {
      return false;
    }
    int dot = cookie.lastIndexOf('.');
    if (dot < 0) {
      return false;
    }
    String body = cookie.substring(0, dot);
    if (!MessageDigest.isEqual(
        mac(body).getBytes(StandardCharsets.UTF_8),
        cookie.substring(dot + 1).getBytes(StandardCharsets.UTF_8))) {
      return false;
    }
    try {
      long expires = Long.parseLong(body.substring(body.indexOf('.') + 1));
      return clock.instant().getEpochSecond() < expires;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private String mac(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return B64.encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }
}
