package io.hookwire.verify;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader producing plain Java values.
 *
 * <p>Objects become unmodifiable {@link LinkedHashMap}-ordered maps, arrays unmodifiable lists,
 * strings {@link String}, {@code true}/{@code false} {@link Boolean}, {@code null} {@code null}. A
 * number written without fraction or exponent that fits in a {@code long} becomes a {@link Long};
 * any other number a {@link BigDecimal} (keeping the scale as written).
 *
 * <p>Rejected with an {@link IllegalArgumentException} naming the position: invalid UTF-8, a
 * byte-order mark, comments, trailing commas, single quotes, unescaped control characters, invalid
 * escapes, leading zeros, {@code NaN}/{@code Infinity}, duplicate keys, nesting deeper than {@value
 * #MAX_DEPTH}, and anything after the value.
 *
 * <p>Like JavaScript's {@code JSON.parse}, and unlike raw UTF-8 text, a <code>&#92;uXXXX</code>
 * escape may denote an unpaired surrogate: it is kept as that {@code char}. (Hookwire writes lone
 * surrogates that way, as {@code JSON.stringify} does.)
 */
final class Json {

  static final int MAX_DEPTH = 512;

  private final String text;
  private int pos;
  private int depth;

  private Json(String text) {
    this.text = text;
  }

  /** Parses UTF-8 encoded JSON. */
  static Object parse(byte[] utf8) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8))
              .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("Malformed JSON: not valid UTF-8", e);
    }
    return parse(text);
  }

  /** Parses JSON text. */
  static Object parse(String text) {
    Json json = new Json(text);
    json.skipWhitespace();
    Object value = json.value();
    json.skipWhitespace();
    if (json.pos < text.length()) {
      throw json.error("unexpected " + json.current() + " after the value");
    }
    return value;
  }

  private Object value() {
    if (pos >= text.length()) {
      throw error("unexpected end of input, expected a value");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || isDigit(c)) {
          yield number();
        }
        throw error("unexpected " + current() + ", expected a value");
      }
    };
  }

  private Map<String, Object> object() {
    enter();
    Map<String, Object> map = new LinkedHashMap<>();
    skipWhitespace();
    if (!consume('}')) {
      do {
        skipWhitespace();
        if (!at('"')) {
          throw error("unexpected " + current() + ", expected a string key");
        }
        int keyStart = pos;
        String key = string();
        if (map.containsKey(key)) {
          pos = keyStart;
          throw error("duplicate key \"" + key + "\"");
        }
        skipWhitespace();
        expect(':');
        skipWhitespace();
        map.put(key, value());
        skipWhitespace();
      } while (consume(','));
      expect('}');
    }
    depth--;
    return Collections.unmodifiableMap(map);
  }

  private List<Object> array() {
    enter();
    List<Object> list = new ArrayList<>();
    skipWhitespace();
    if (!consume(']')) {
      do {
        skipWhitespace();
        list.add(value());
        skipWhitespace();
      } while (consume(','));
      expect(']');
    }
    depth--;
    return Collections.unmodifiableList(list);
  }

  private String string() {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        return sb.toString();
      }
      if (c < 0x20) {
        throw error("unescaped control character " + current() + " in string");
      }
      if (c != '\\') {
        sb.append(c);
        pos++;
        continue;
      }
      int escapeStart = pos++;
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> sb.append(hex4()); // an escaped surrogate pair forms one code point
        default -> {
          pos = escapeStart;
          throw error("invalid escape \\" + e);
        }
      }
    }
  }

  private char hex4() {
    if (pos + 4 > text.length()) {
      throw error("incomplete \\u escape");
    }
    int value = 0;
    for (int i = 0; i < 4; i++) {
      char c = text.charAt(pos);
      if (!HexFormat.isHexDigit(c)) {
        throw error("invalid hex digit " + current() + " in \\u escape");
      }
      value = value * 16 + HexFormat.fromHexDigit(c);
      pos++;
    }
    return (char) value;
  }

  private Object number() {
    int start = pos;
    consume('-');
    if (consume('0')) {
      if (pos < text.length() && isDigit(text.charAt(pos))) {
        throw error("leading zeros are not allowed");
      }
    } else {
      digits("a digit");
    }
    boolean integral = true;
    if (consume('.')) {
      integral = false;
      digits("a digit after '.'");
    }
    if (consume('e') || consume('E')) {
      integral = false;
      if (!consume('+')) {
        consume('-');
      }
      digits("a digit in the exponent");
    }
    String literal = text.substring(start, pos);
    if (integral && literal.length() <= 20) {
      try {
        return Long.parseLong(literal);
      } catch (NumberFormatException outOfLongRange) {
        // fall through to BigDecimal
      }
    }
    try {
      return new BigDecimal(literal);
    } catch (NumberFormatException e) {
      pos = start;
      throw error("number out of range: " + literal);
    }
  }

  private void digits(String expected) {
    if (pos >= text.length() || !isDigit(text.charAt(pos))) {
      throw error("unexpected " + current() + ", expected " + expected);
    }
    while (pos < text.length() && isDigit(text.charAt(pos))) {
      pos++;
    }
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw error("invalid literal, expected " + word);
    }
    pos += word.length();
    return value;
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH + " levels");
    }
    pos++; // opening bracket
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private boolean at(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private boolean consume(char c) {
    if (at(c)) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!consume(c)) {
      throw error("unexpected " + current() + ", expected '" + c + "'");
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String hex(char c) {
    return String.format("%04X", (int) c);
  }

  /** The character at the current position, described for an error message. */
  private String current() {
    if (pos >= text.length()) {
      return "end of input";
    }
    char c = text.charAt(pos);
    return c < 0x20 || c > 0x7e ? "U+" + hex(c) : "'" + c + "'";
  }

  private IllegalArgumentException error(String message) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < pos && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new IllegalArgumentException(
        "Malformed JSON at line "
            + line
            + ", column "
            + (pos - lineStart + 1)
            + " (offset "
            + pos
            + "): "
            + message);
  }
}
