package io.hookwire.security;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Webhook secrets: 256 random bits, hex like the reference's {@code "a1b2c3d4e5f6..."}. */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  public static String generate() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return HexFormat.of().formatHex(secret);
  }
}
