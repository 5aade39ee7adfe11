package io.hookwire.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bad JSON is refused with a message in the API's words: where and what, no parser internals. */
class JsonTest {
  @Test
  void anUnclosedObjectSaysItEndsTooEarly() {
    assertThat(message("{\"event\":\"newLead\""))
        .isEqualTo("malformed JSON: it ends before it is complete");
  }

  @Test
  void aWrongCharacterSaysWhere() {
    assertThat(message("{\"a\":1,}"))
        .startsWith("malformed JSON at line 1, column 8: ")
        .contains("Unexpected character");
  }

  @Test
  void aDuplicateKeyIsRefusedByName() {
    assertThat(message("{\"a\":1,\n\"a\":2}"))
        .isEqualTo("malformed JSON at line 2, column 5: duplicate key \"a\"");
  }

  @Test
  void nestingBeyondTheLimitSaysHowDeepIsAllowed() {
    assertThat(message("[".repeat(65) + "]".repeat(65)))
        .isEqualTo("the JSON is nested more than 64 levels deep");
  }

  @Test
  void noMessageQuotesTheParser() {
    for (String bad :
        new String[] {"{", "[1,]", "{\"a\" 1}", "nul", "{\"a\":01}", "[\"\\x\"]", "{\"a\":[}"}) {
      assertThat(message(bad))
          .as(bad)
          .doesNotContain("`")
          .doesNotContain("Source")
          .doesNotContain("StreamRead")
          .doesNotContain("REDACTED");
    }
  }

  private static String message(String json) {
    Throwable thrown = catchThrowable(() -> Json.parse(json.getBytes(StandardCharsets.UTF_8)));
    assertThat(thrown).as(json).isInstanceOf(Json.Malformed.class);
    return thrown.getMessage();
  }
}
