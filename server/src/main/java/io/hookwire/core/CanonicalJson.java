package io.hookwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes a JSON tree exactly as JavaScript's {@code JSON.stringify} writes the value {@code
 * JSON.parse} made of it (ECMA-262, SerializeJSONProperty). Receivers following the API reference's
 * Node snippet sign {@code JSON.stringify(payload)}; a body in this form survives that round trip
 * byte for byte, so their signature check passes.
 *
 * <p>That means: numbers are IEEE doubles printed by Number::toString; strings escape only quote,
 * backslash, control characters and lone surrogates; object keys that are array indices come first,
 * in ascending order, as JavaScript objects order them.
 */
public final class CanonicalJson {
  /** Array indices are at most 2^32 - 2 (ECMA-262, "array index"). */
  private static final long MAX_ARRAY_INDEX = 4_294_967_294L;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CanonicalJson() {}

  /** A number beyond what a double holds: JSON.parse makes it Infinity, JSON.stringify null. */
  public static final class NotFinite extends IllegalArgumentException {
    NotFinite() {
      super("a number beyond the range of JSON numbers", null);
    }
  }

  public static String write(JsonNode node) {
    StringBuilder out = new StringBuilder(128);
    write(node, out, false);
    return out.toString();
  }

  /**
   * As {@link #write}, but refuses a number beyond what a double holds ({@code 1e400}), which
   * JavaScript would turn into null: such data cannot be kept as sent.
   *
   * @throws NotFinite if {@code node} holds one
   */
  public static String writeFinite(JsonNode node) {
    StringBuilder out = new StringBuilder(128);
    write(node, out, true);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out, boolean finite) {
    switch (node.getNodeType()) {
      case OBJECT -> writeObject(node, out, finite);
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) out.append(',');
          write(node.get(i), out, finite);
        }
        out.append(']');
      }
      case STRING -> string(node.textValue(), out);
      case NUMBER -> {
        double value = node.doubleValue();
        if (finite && !Double.isFinite(value)) {
          throw new NotFinite();
        }
        out.append(number(value));
      }
      case BOOLEAN -> out.append(node.booleanValue());
      default -> out.append("null");
    }
  }

  private static void writeObject(JsonNode node, StringBuilder out, boolean finite) {
    List<Map.Entry<String, JsonNode>> indices = new ArrayList<>();
    List<Map.Entry<String, JsonNode>> others = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      (isArrayIndex(field.getKey()) ? indices : others).add(field);
    }
    indices.sort((a, b) -> Long.compare(Long.parseLong(a.getKey()), Long.parseLong(b.getKey())));
    out.append('{');
    boolean first = true;
    for (List<Map.Entry<String, JsonNode>> group : List.of(indices, others)) {
      for (Map.Entry<String, JsonNode> field : group) {
        if (!first) out.append(',');
        first = false;
        string(field.getKey(), out);
        out.append(':');
        write(field.getValue(), out, finite);
      }
    }
    out.append('}');
  }

  static boolean isArrayIndex(String key) {
    int n = key.length();
    if (n == 0 || n > 10 || (n > 1 && key.charAt(0) == '0')) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') return false;
    }
    return Long.parseLong(key) <= MAX_ARRAY_INDEX;
  }

  /** ECMA-262 Number::toString for finite values; JSON.stringify writes non-finite as null. */
  public static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "null";
    }
    if (value == 0) {
      return "0"; // -0 too
    }
    // Double.toString gives the shortest digits that round-trip (JDK 19+), as ECMA-262 requires,
    // except that it prefers two digits to one when the two are closer.
    BigDecimal decimal = shortestDigits(Math.abs(value));
    String digits = decimal.unscaledValue().toString();
    int k = digits.length();
    int n = k - decimal.scale(); // value = 0.digits × 10^n
    StringBuilder out = new StringBuilder(24);
    if (value < 0) out.append('-');
    if (k <= n && n <= 21) {
      out.append(digits).append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      out.append(digits.charAt(0));
      if (k > 1) out.append('.').append(digits, 1, k);
      out.append('e').append(n - 1 >= 0 ? "+" : "-").append(Math.abs(n - 1));
    }
    return out.toString();
  }

  /**
   * The fewest significant digits that read back as {@code value} (positive, finite), the closest
   * to it when several do. Double.toString's choice, but where it gives two digits and one would do
   * (only among subnormals: 5e-324 is "4.9E-324" in Java), the closest one-digit decimal.
   */
  private static BigDecimal shortestDigits(double value) {
    BigDecimal java = new BigDecimal(Double.toString(value)).stripTrailingZeros();
    if (java.precision() != 2 || value >= Double.MIN_NORMAL) {
      return java;
    }
    BigDecimal exact = new BigDecimal(value);
    BigDecimal best = null;
    for (RoundingMode mode : List.of(RoundingMode.FLOOR, RoundingMode.CEILING)) {
      BigDecimal candidate = exact.round(new MathContext(1, mode));
      if (candidate.signum() > 0
          && candidate.doubleValue() == value
          && (best == null
              || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
        best = candidate;
      }
    }
    return best == null ? java : best.stripTrailingZeros();
  }

  /** ECMA-262 QuoteJSONString, including the well-formed escaping of lone surrogates. */
  public static void string(String s, StringBuilder out) {
    out.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            unicodeEscape(c, out);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
              out.append(c).append(s.charAt(++i));
            } else {
              unicodeEscape(c, out);
            }
          } else if (Character.isLowSurrogate(c)) {
            unicodeEscape(c, out);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void unicodeEscape(char c, StringBuilder out) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xf])
        .append(HEX[(c >> 8) & 0xf])
        .append(HEX[(c >> 4) & 0xf])
        .append(HEX[c & 0xf]);
  }
}
