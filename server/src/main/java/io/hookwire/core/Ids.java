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

  private final String prefix;

  Ids(String prefix) {
    this.prefix = prefix;
  }

  public String next() {
    char[] id = new char[15];
    prefix.getChars(0, 3, id, 0);
    for (int i = 3; i < 15; i++) {
      id[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
    }
    return new String(id);
  }

  /** Whether {@code id} could be an id of this type; says nothing about whether it exists. */
  public boolean matches(String id) {
    return id != null && id.startsWith(prefix) && SHAPE.matcher(id).matches();
  }
}
