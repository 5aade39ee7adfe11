package io.hookwire.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

  private static Object parse(String json) {
    return Json.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(String json) {
    return (Map<String, Object>) parse(json);
  }

  @Test
  void readsAllValueKinds() {
    Map<String, Object> value =
        object(
            " {\"s\":\"x\", \"i\":42, \"d\":1.5, \"t\":true, \"f\":false, \"n\":null,"
                + " \"a\":[1,\"two\",[]], \"o\":{}}\r\n\t");

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("s", "x");
    expected.put("i", 42L);
    expected.put("d", new BigDecimal("1.5"));
    expected.put("t", true);
    expected.put("f", false);
    expected.put("n", null);
    expected.put("a", List.of(1L, "two", List.of()));
    expected.put("o", Map.of());
    assertThat(value).isEqualTo(expected);
  }

  @Test
  void keepsObjectKeysInDocumentOrder() {
    assertThat(object("{\"z\":1,\"a\":2,\"m\":3}").keySet()).containsExactly("z", "a", "m");
  }

  @Test
  void returnsUnmodifiableCollections() {
    Map<?, ?> map = (Map<?, ?>) parse("{\"a\":[1]}");
    assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<?>) map.get("a")).clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void readsTopLevelScalars() {
    assertThat(parse("\"x\"")).isEqualTo("x");
    assertThat(parse("-7")).isEqualTo(-7L);
    assertThat(parse("null")).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "-0, 0",
    "9223372036854775807, 9223372036854775807",
    "-9223372036854775808, -9223372036854775808",
  })
  void readsIntegersInLongRangeAsLong(String json, long expected) {
    assertThat(parse(json)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "1.0",
        "0.1",
        "-2.50",
        "1e3",
        "1E+3",
        "6.02e-23"
      })
  void readsOtherNumbersAsBigDecimalAsWritten(String json) {
    assertThat(parse(json)).isInstanceOf(BigDecimal.class).isEqualTo(new BigDecimal(json));
  }

  @Test
  void decodesAllEscapes() {
    assertThat(parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041\\u00e9\\u20AC\""))
        .isEqualTo("\" \\ / \b \f \n \r \t Aé€");
  }

  @Test
  void decodesEscapedSurrogatePairs() {
    assertThat(parse("\"\\ud83d\\ude00 \\uD83D\\uDD11\"")).isEqualTo("\uD83D\uDE00 \uD83D\uDD11");
  }

  @Test
  void keepsUnpairedSurrogateEscapesAsJsonParseDoes() {
    // JSON.stringify writes lone surrogates this way, and so does Hookwire.
    assertThat(parse("[\"\\ud800\",\"a\\udc00b\",\"\\ude00\\ud83d\"]"))
        .isEqualTo(List.of("\ud800", "a\udc00b", "\ude00\ud83d"));
  }

  @Test
  void readsRawUtf8IncludingSupplementaryCharacters() {
    assertThat(parse("\"Zoë 日本 😀\"")).isEqualTo("Zoë 日本 😀");
  }

  @Test
  void allowsDeepButBoundedNesting() {
    int depth = Json.MAX_DEPTH;
    Object value = parse("[".repeat(depth) + "]".repeat(depth));
    for (int i = 1; i < depth; i++) {
      value = ((List<?>) value).get(0);
    }
    assertThat(value).isEqualTo(List.of());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "``| unexpected end of input, expected a value",
        "`   `| unexpected end of input, expected a value",
        "{| unexpected end of input, expected a string key",
        "{\"a\"}| unexpected '}', expected ':'",
        "{\"a\":1,}| unexpected '}', expected a string key",
        "[1,]| unexpected ']', expected a value",
        "[1 2]| unexpected '2', expected ']'",
        "{'a':1}| unexpected ''', expected a string key",
        "{a:1}| unexpected 'a', expected a string key",
        "{\"a\":1,\"a\":2}| duplicate key \"a\"",
        "[1] [2]| unexpected '[' after the value",
        "`// comment\n1`| unexpected '/', expected a value",
        "01| leading zeros are not allowed",
        "-| unexpected end of input, expected a digit",
        "1.| unexpected end of input, expected a digit after '.'",
        ".5| unexpected '.', expected a value",
        "1e| unexpected end of input, expected a digit in the exponent",
        "+1| unexpected '+', expected a value",
        "NaN| unexpected 'N', expected a value",
        "Infinity| unexpected 'I', expected a value",
        "tru| invalid literal, expected true",
        "nul| invalid literal, expected null",
        "True| unexpected 'T', expected a value",
        "\"abc| unterminated string",
        "\"\\x\"| invalid escape \\x",
        "\"\\u12\"| incomplete \\u escape",
        "\"\\u12G4\"| invalid hex digit 'G' in \\u escape",
        "1e99999999999| number out of range: 1e99999999999",
      })
  void rejectsMalformedJson(String json, String message) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Malformed JSON at line ")
        .hasMessageEndingWith(": " + message);
  }

  @Test
  void rejectsUnescapedControlCharactersInStrings() {
    assertThatThrownBy(() -> parse("\"a\tb\""))
        .hasMessageEndingWith("unescaped control character U+0009 in string");
    assertThatThrownBy(() -> parse("\"a\nb\""))
        .hasMessageEndingWith("unescaped control character U+000A in string");
  }

  @Test
  void reportsLineAndColumnOfTheError() {
    assertThatThrownBy(() -> parse("{\n  \"a\": 1,\n  \"b\": ?\n}"))
        .hasMessage(
            "Malformed JSON at line 3, column 8 (offset 19): unexpected '?', expected a value");
  }

  @Test
  void rejectsInvalidUtf8() {
    byte[] overlong = {'"', (byte) 0xC0, (byte) 0xAF, '"'};
    byte[] truncated = {'"', (byte) 0xE2, (byte) 0x82, '"'};
    byte[] encodedSurrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
    for (byte[] bytes : List.of(overlong, truncated, encodedSurrogate)) {
      assertThatThrownBy(() -> Json.parse(bytes))
          .as(Arrays.toString(bytes))
          .hasMessage("Malformed JSON: not valid UTF-8");
    }
  }

  @Test
  void rejectsByteOrderMark() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '1'};
    assertThatThrownBy(() -> Json.parse(bom))
        .hasMessageEndingWith("unexpected U+FEFF, expected a value");
  }

  @Test
  void rejectsTooDeepNesting() {
    int depth = Json.MAX_DEPTH + 1;
    assertThatThrownBy(() -> parse("[".repeat(depth) + "]".repeat(depth)))
        .hasMessageEndingWith("nesting deeper than 512 levels");
  }
}
