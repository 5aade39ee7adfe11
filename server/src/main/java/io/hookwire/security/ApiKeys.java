package io.hookwire.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * API keys are 256 random bits; the store keeps only their SHA-256. A slow password hash buys
 * nothing for keys this long, and SHA-256 keeps authentication off the hot path's profile.
 */
public final class ApiKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  public static String generate() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return HexFormat.of().formatHex(key);
  }

  public static String hash(String apiKey) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time: the comparison takes as long whatever prefix matches. */
  public static boolean matches(String apiKey, String storedHash) {
    return sameHash(hash(apiKey), storedHash);
  }

  /**
   * Whether two hashes are equal, in constant time; for a caller that compares one presented key
   * with several stored hashes and hashes it once.
   */
  public static boolean sameHash(String presentedHash, String storedHash) {
    return MessageDigest.isEqual(
        presentedHash.getBytes(StandardCharsets.US_ASCII),
        storedHash.getBytes(StandardCharsets.US_ASCII));
  }
}
