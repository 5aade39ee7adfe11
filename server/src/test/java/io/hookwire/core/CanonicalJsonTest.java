package io.hookwire.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwire.testing.NodeJs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CanonicalJson must write what JavaScript's {@code JSON.stringify(JSON.parse(input))} writes: the
 * table's expectations were produced by Node.js, and the randomized tests ask {@code node} itself.
 */
class CanonicalJsonTest {

  static Stream<Arguments> vectors() {
    return Stream.of(
        Arguments.of("{}", "{}"),
        Arguments.of("[]", "[]"),
        Arguments.of("null", "null"),
        Arguments.of("true", "true"),
        Arguments.of(
            "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",
            "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}"),
        Arguments.of("{ \"spaced\" : [ 1 , 2 ] }", "{\"spaced\":[1,2]}"),
        Arguments.of("[1.0]", "[1]"),
        Arguments.of("[1e21]", "[1e+21]"),
        Arguments.of("[1e20]", "[100000000000000000000]"),
        Arguments.of("[1e-7]", "[1e-7]"),
        Arguments.of("[1e-6]", "[0.000001]"),
        Arguments.of("[-0]", "[0]"),
        Arguments.of("[-0.0]", "[0]"),
        Arguments.of("[123456789012345678901234]", "[1.2345678901234569e+23]"),
        Arguments.of("[0.1]", "[0.1]"),
        Arguments.of("[1.5e300]", "[1.5e+300]"),
        Arguments.of("[-1.5e-10]", "[-1.5e-10]"),
        Arguments.of("[1E2]", "[100]"),
        Arguments.of("[0.000001234]", "[0.000001234]"),
        Arguments.of("[12345678901234567890]", "[12345678901234567000]"),
        Arguments.of("[9007199254740993]", "[9007199254740992]"),
        Arguments.of("[1e400]", "[null]"),
        Arguments.of("[-1e400]", "[null]"),
        Arguments.of("[5e-324]", "[5e-324]"),
        Arguments.of("[1e-323]", "[1e-323]"),
        Arguments.of("[2.5e-323]", "[2.5e-323]"),
        Arguments.of("[1.7976931348623157e308]", "[1.7976931348623157e+308]"),
        Arguments.of("[0.30000000000000004]", "[0.30000000000000004]"),
        Arguments.of("[100,1e1,25e-1]", "[100,10,2.5]"),
        Arguments.of("[\"\\u0000\\u0001\\u001f\\u007f\"]", "[\"\\u0000\\u0001\\u001f\177\"]"),
        Arguments.of("[\"\\b\\f\\n\\r\\t\\\"\\\\\\/\"]", "[\"\\b\\f\\n\\r\\t\\\"\\\\/\"]"),
        Arguments.of("[\"\\u2028\\u2029\"]", "[\"\u2028\u2029\"]"),
        Arguments.of("[\"\\ud83d\\ude00\"]", "[\"\ud83d\ude00\"]"),
        Arguments.of("[\"\\ud800\"]", "[\"\\ud800\"]"),
        Arguments.of("[\"\\udc00x\"]", "[\"\\udc00x\"]"),
        Arguments.of("[\"\\ud800\\ud800\"]", "[\"\\ud800\\ud800\"]"),
        Arguments.of("[\"caf\\u00e9\"]", "[\"caf\u00e9\"]"),
        Arguments.of(
            "{\"b\":1,\"a\":2,\"10\":3,\"2\":4,\"1\":5,\"01\":6,\"-1\":7,\"1.5\":8,\"4294967294\":9,\"4294967295\":10,\"0\":11}",
            "{\"0\":11,\"1\":5,\"2\":4,\"10\":3,\"4294967294\":9,\"b\":1,\"a\":2,\"01\":6,\"-1\":7,\"1.5\":8,\"4294967295\":10}"));
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void writesWhatJavaScriptWritesForEachVector(String input, String javascript) {
    assertThat(write(input)).isEqualTo(javascript);
  }

  @Test
  void tableMatchesTheJavaScriptOnThisMachine() {
    for (Arguments vector : vectors().toList()) {
      String input = (String) vector.get()[0];
      assertThat(NodeJs.roundTrip(input)).as(input).isEqualTo(vector.get()[1]);
    }
  }

  @Test
  void numbersMatchJavaScriptAcrossTheWholeDoubleRange() {
    Random random = new Random(20261125);
    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < 4_000; i++) {
      double any = Double.longBitsToDouble(random.nextLong());
      if (Double.isFinite(any)) {
        numbers.add(Double.toString(any));
      }
      // Subnormals, where Java's and JavaScript's shortest digits are most likely to part.
      numbers.add(Double.toString(Double.longBitsToDouble(random.nextLong(1, 1L << 52))));
      numbers.add(Double.toString(Double.longBitsToDouble(random.nextLong(1, 2_000))));
      numbers.add(Long.toString(random.nextLong()));
      numbers.add(
          random.nextInt(1_000_000)
              + "."
              + random.nextInt(1_000)
              + "e"
              + (random.nextInt(80) - 40));
      numbers.add(
          String.format("%d%018d", random.nextInt(1, 1_000_000), random.nextLong(0, (long) 1e18)));
    }
    String input = "[" + String.join(",", numbers) + "]";

    String javascript = NodeJs.roundTrip(input);
    String ours = write(input);

    if (!ours.equals(javascript)) {
      String[] theirs = javascript.substring(1, javascript.length() - 1).split(",");
      String[] mine = ours.substring(1, ours.length() - 1).split(",");
      List<String> differences = new ArrayList<>();
      for (int i = 0; i < numbers.size() && differences.size() < 20; i++) {
        if (!theirs[i].equals(mine[i])) {
          differences.add(numbers.get(i) + ": JavaScript " + theirs[i] + ", ours " + mine[i]);
        }
      }
      assertThat(differences).isEmpty();
    }
    assertThat(ours).isEqualTo(javascript);
  }

  @Test
  void stringsMatchJavaScriptForEveryKindOfCharacter() {
    Random random = new Random(7);
    StringBuilder input = new StringBuilder("[");
    for (int i = 0; i < 2_000; i++) {
      if (i > 0) input.append(',');
      input.append('"');
      int length = random.nextInt(12);
      for (int j = 0; j < length; j++) {
        char c =
            switch (random.nextInt(6)) {
              case 0 -> (char) random.nextInt(0x20); // control characters
              case 1 -> (char) random.nextInt(0x20, 0x80); // ASCII, quote and backslash too
              case 2 -> (char) random.nextInt(0x80, 0x800);
              case 3 -> (char) random.nextInt(0xD800, 0xE000); // surrogates, paired or lone
              case 4 -> (char) (0x2028 + random.nextInt(2)); // separators JSON.stringify keeps
              default -> (char) random.nextInt(0xE000, 0x10000);
            };
        // Escaped in the input, so both parsers read exactly these UTF-16 code units.
        input.append(String.format("\\u%04x", (int) c));
      }
      input.append('"');
    }
    input.append(']');

    assertThat(write(input.toString())).isEqualTo(NodeJs.roundTrip(input.toString()));
  }

  @Test
  void objectKeysAreOrderedAsJavaScriptOrdersThem() {
    Random random = new Random(11);
    String[] keys = {
      "0",
      "1",
      "2",
      "9",
      "10",
      "01",
      "-1",
      "1.5",
      "1e3",
      " 1",
      "4294967294",
      "4294967295",
      "99999999999",
      "a",
      "B",
      "id",
      "__proto__",
      "\\u0031",
      ""
    };
    StringBuilder input = new StringBuilder("[");
    for (int i = 0; i < 1_000; i++) {
      if (i > 0) input.append(',');
      input.append('{');
      int n = random.nextInt(1, 8);
      List<String> used = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        String key = keys[random.nextInt(keys.length)];
        // Duplicate keys are refused on input, and "\u0031" is the key "1".
        String decoded = key.equals("\\u0031") ? "1" : key;
        if (used.contains(decoded)) continue;
        if (!used.isEmpty()) input.append(',');
        used.add(decoded);
        input.append('"').append(key).append("\":");
        input.append(random.nextBoolean() ? Integer.toString(j) : "{\"3\":1,\"x\":[],\"0\":2}");
      }
      input.append('}');
    }
    input.append(']');

    assertThat(write(input.toString())).isEqualTo(NodeJs.roundTrip(input.toString()));
  }

  @Test
  void arrayIndicesAreCanonicalNumbersBelowTwoToTheThirtyTwoMinusOne() {
    assertThat(CanonicalJson.isArrayIndex("0")).isTrue();
    assertThat(CanonicalJson.isArrayIndex("4294967294")).isTrue();
    assertThat(CanonicalJson.isArrayIndex("4294967295")).isFalse();
    assertThat(CanonicalJson.isArrayIndex("01")).isFalse();
    assertThat(CanonicalJson.isArrayIndex("-1")).isFalse();
    assertThat(CanonicalJson.isArrayIndex("")).isFalse();
    assertThat(CanonicalJson.isArrayIndex("99999999999")).isFalse();
  }

  private static String write(String json) {
    return CanonicalJson.write(Json.parse(json.getBytes(StandardCharsets.UTF_8)));
  }
}
