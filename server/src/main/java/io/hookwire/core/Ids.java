package io.hookwire.core;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Identifiers in Oktopost's shape: 15 characters, the first three naming the type ({@code 0WA}
 * webhooks, {@code 0WB} payloads, {@code 0WC} log entries in the reference). The next two name the
 * tenth of a second the id was made in, modulo 62^2 (so they repeat every 6.4 minutes); the last
 * ten are random base-62, about 59.5 bits, so nodes generate them without coordination.
 *
 * <p>Why the time: ids are primary keys, and fully random keys put every new row of a batch on
 * another page of the key's index, so a publish of 1,000 events wrote thousands of index pages once
 * the tables outgrew SQLite's cache (docs/performance.md). Ids made within the same tenth of a
 * second share their first five characters and go to one narrow range of each index: a batch writes
 * a few pages of it. Because the two characters cycle, every range holds about the same share of
 * all ids ever made, so the ten random characters keep the ids as unlikely to collide as twelve
 * random ones would be; and the ids still say almost nothing about when a row was made.
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

  /** 62^5 = 916,132,832: five base-62 digits, cut from one random long with a negligible bias. */
  private static final long FIVE_DIGITS = 916_132_832L;

  /** 62^2 tenths of a second: the two characters naming the time wrap after 6.4 minutes. */
  private static final long TENTHS = 62 * 62;

  private final String prefix;

  Ids(String prefix) {
    this.prefix = prefix;
  }

  public String next() {
    return next(System.currentTimeMillis());
  }

  /**
   * One {@code nextBytes} of 16 bytes per id: the profile of a batch publish showed twelve calls to
   * the shared SecureRandom per id (one per character) as 16% of the Java time of the insert.
   *
   * <p>How the bits map: the 16 bytes are two unsigned 64-bit numbers; each, reduced modulo 62^5,
   * gives five base-62 digits. That is 2 × log2(62^5) ≈ 59.5 bits. The reduction favours the
   * smallest remainders, but by at most one in 2^64 / 62^5 ≈ 2 × 10^10 draws: no id is measurably
   * likelier than another.
   */
  String next(long epochMillis) {
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    char[] id = new char[15];
    prefix.getChars(0, 3, id, 0);
    digits(Math.floorMod(epochMillis / 100, TENTHS), id, 3, 2);
    digits(Long.remainderUnsigned(longAt(random, 0), FIVE_DIGITS), id, 5, 5);
    digits(Long.remainderUnsigned(longAt(random, 8), FIVE_DIGITS), id, 10, 5);
    return new String(id);
  }

  /** Whether {@code id} could be an id of this type; says nothing about whether it exists. */
  public boolean matches(String id) {
    return id != null && id.startsWith(prefix) && SHAPE.matcher(id).matches();
  }

  /** Writes {@code value} (below 62^count) as base-62 digits at {@code id[from..from+count-1]}. */
  private static void digits(long value, char[] id, int from, int count) {
    for (int i = from + count - 1; i >= from; i--) {
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
