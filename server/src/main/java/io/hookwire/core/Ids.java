package io.hookwire.core;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Identifiers in Oktopost's shape: 15 characters, the first three naming the type ({@code 0WA}
 * webhooks, {@code 0WB} payloads, {@code 0WC} log entries in the reference). The remaining 12 are
 * random base-62, about 71 bits, so nodes generate them without coordination.
 */
public enum Ids {
  ACCOUNT("001"),
  WEBHOOK("0WA"),
  PAYLOAD("0WB"),
  LOG("0WC"),
  EVENT("0WE");

  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final Pattern SHAPE = Pattern.compile("[0-9A-Za-z]{15}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** 62^6 = 56,800,235,584: six base-62 digits, the most that one random long is cut into. */
  private static final long SIX_DIGITS = 56_800_235_584L;

  private final String prefix;

  Ids(String prefix) {
    this.prefix = prefix;
  }

  /**
   * One {@code nextBytes} of 16 bytes per id: the profile of a batch publish showed twelve calls to
   * the shared SecureRandom per id (one per character) as 16% of the Java time of the insert.
   *
   * <p>How the bits map: the 16 bytes are two unsigned 64-bit numbers; each, reduced modulo 62^6,
   * gives six base-62 digits (the first six characters after the prefix, then the last six). That
   * is 2 × log2(62^6) ≈ 71.5 bits. The reduction favours the smallest remainders, but by at most
   * one in 2^64 / 62^6 ≈ 3.2 × 10^8 draws: no id is measurably likelier than another.
   */
  public String next() {
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    char[] id = new char[15];
    prefix.getChars(0, 3, id, 0);
    digits(Long.remainderUnsigned(longAt(random, 0), SIX_DIGITS), id, 3);
    digits(Long.remainderUnsigned(longAt(random, 8), SIX_DIGITS), id, 9);
    return new String(id);
  }

  /** Whether {@code id} could be an id of this type; says nothing about whether it exists. */
  public boolean matches(String id) {
    return id != null && id.startsWith(prefix) && SHAPE.matcher(id).matches();
  }

  /** Writes {@code value} (below 62^6) as six base-62 digits at {@code id[from..from+5]}. */
  private static void digits(long value, char[] id, int from) {
    for (int i = from + 5; i >= from; i--) {
      id[i] = ALPHABET.charAt((int) (value % 62));
      value /= 62;
    }
  }

  private static long longAt(byte[] bytes, int from) {
    long value = 0;
    for (int i = from; i < from + 8; i++) {
      value = (value << 8) | (bytes[i] & 0xFF);
    }
    return value;
  }
}
