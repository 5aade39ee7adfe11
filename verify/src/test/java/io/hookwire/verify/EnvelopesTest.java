package io.hookwire.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopesTest {

  private static List<Envelope> parse(String body) {
    return Envelopes.parse(body.getBytes(StandardCharsets.UTF_8));
  }

  private static String envelope(String event, String data) {
    return "{\"event\":\""
        + event
        + "\",\"timestamp\":1705315200,\"webhookId\":\"0WA000000000001\",\"data\":"
        + data
        + "}";
  }

  @Test
  void parsesASingleEnvelopeIntoAListOfOne() {
    List<Envelope> envelopes = Envelopes.parse(TestVectors.BODY);

    assertThat(envelopes)
        .containsExactly(
            new Envelope(
                "newLead",
                1705315200L,
                "0WA000000000001",
                Map.of("leadId", "0LE000000000001", "email", "jane@example.com", "name", "Zoë")));
    assertThat(envelopes.get(0).time()).isEqualTo(Instant.parse("2024-01-15T10:40:00Z"));
  }

  @Test
  void parsesABatchInOrder() {
    List<Envelope> envelopes =
        parse(
            "["
                + envelope("newLead", "{\"n\":1}")
                + ","
                + envelope("leadUpdated", "{\"n\":2}")
                + ","
                + envelope("newLead", "{\"n\":3}")
                + "]");

    assertThat(envelopes)
        .extracting(Envelope::event)
        .containsExactly("newLead", "leadUpdated", "newLead");
    assertThat(envelopes).extracting(e -> e.data().get("n")).containsExactly(1L, 2L, 3L);
  }

  @Test
  void parsesAnEmptyBatch() {
    assertThat(parse("[]")).isEmpty();
  }

  @Test
  void exposesUnicodeEscapesAndNumbersInData() {
    Envelope envelope =
        parse(
                envelope(
                    "newLead",
                    "{\"name\":\"Fran\\u00e7ois \\ud83d\\ude00 日本\",\"quote\":\"\\\"hi\\\"\\n\","
                        + "\"count\":3,\"big\":12345678901234567890,\"score\":0.75,"
                        + "\"tags\":[\"a\",null,true],\"nested\":{\"empty\":{}}}"))
            .get(0);

    assertThat(envelope.data())
        .containsEntry("name", "François 😀 日本")
        .containsEntry("quote", "\"hi\"\n")
        .containsEntry("count", 3L)
        .containsEntry("big", new BigDecimal("12345678901234567890"))
        .containsEntry("score", new BigDecimal("0.75"))
        .containsEntry("tags", Arrays.asList("a", null, true))
        .containsEntry("nested", Map.of("empty", Map.of()));
    assertThat(envelope.data().keySet())
        .containsExactly("name", "quote", "count", "big", "score", "tags", "nested");
  }

  /**
   * The body as JavaScript writes it, from {@code node -e 'console.log(JSON.stringify({event:
   * "newLead",timestamp:1705315200,webhookId:"0WA000000000001",data:{"10":"ten","2":"two",a:1e21,
   * b:1e-7,c:0.000001,d:2**64,e:-0,f:1.5,s:"\ud800\u001f\n😀"}}))'}: the form Hookwire writes.
   */
  @Test
  void readsTheFormJsonStringifyWrites() {
    String body =
        "{\"event\":\"newLead\",\"timestamp\":1705315200,\"webhookId\":\"0WA000000000001\","
            + "\"data\":{\"2\":\"two\",\"10\":\"ten\",\"a\":1e+21,\"b\":1e-7,\"c\":0.000001,"
            + "\"d\":18446744073709552000,\"e\":0,\"f\":1.5,\"s\":\"\\ud800\\u001f\\n😀\"}}";

    Map<String, Object> data = parse(body).get(0).data();

    assertThat(data.keySet()).containsExactly("2", "10", "a", "b", "c", "d", "e", "f", "s");
    assertThat(data)
        .containsEntry("a", new BigDecimal("1e+21"))
        .containsEntry("b", new BigDecimal("1e-7"))
        .containsEntry("c", new BigDecimal("0.000001"))
        .containsEntry("d", new BigDecimal("18446744073709552000"))
        .containsEntry("e", 0L)
        .containsEntry("f", new BigDecimal("1.5"))
        .containsEntry("s", "\ud800\u001f\n😀");
  }

  @Test
  void ignoresUnknownEnvelopeFields() {
    String body =
        "{\"event\":\"newLead\",\"timestamp\":1,\"webhookId\":\"0WA000000000001\","
            + "\"data\":{},\"version\":2}";
    assertThat(parse(body)).singleElement().extracting(Envelope::timestamp).isEqualTo(1L);
  }

  @Test
  void rejectsMalformedJson() {
    assertThatThrownBy(() -> parse("{\"event\":\"newLead\","))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Malformed JSON at line 1, column 20");
  }

  @Test
  void rejectsBodyThatIsNotAnObjectOrArray() {
    assertThatThrownBy(() -> parse("\"newLead\""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Malformed delivery body: expected an envelope object or an array of them, got a"
                + " string");
  }

  @Test
  void rejectsEnvelopeWithMissingField() {
    assertThatThrownBy(() -> parse("{\"event\":\"newLead\",\"timestamp\":1,\"data\":{}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Malformed envelope: missing field \"webhookId\"");
  }

  @Test
  void rejectsEnvelopeFieldsOfTheWrongType() {
    assertThatThrownBy(
            () ->
                parse(
                    "{\"event\":\"newLead\",\"timestamp\":\"1705315200\","
                        + "\"webhookId\":\"0WA000000000001\",\"data\":{}}"))
        .hasMessage("Malformed envelope: field \"timestamp\" must be an integer, got a string");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"event\":\"newLead\",\"timestamp\":1.5,"
                        + "\"webhookId\":\"0WA000000000001\",\"data\":{}}"))
        .hasMessage("Malformed envelope: field \"timestamp\" must be an integer, got a number");
    assertThatThrownBy(() -> parse(envelope("newLead", "[]")))
        .hasMessage("Malformed envelope: field \"data\" must be an object, got an array");
    assertThatThrownBy(() -> parse(envelope("newLead", "null")))
        .hasMessage("Malformed envelope: field \"data\" must be an object, got null");
  }

  @Test
  void namesTheBatchElementThatIsMalformed() {
    assertThatThrownBy(() -> parse("[" + envelope("newLead", "{}") + ",42]"))
        .hasMessage(
            "Malformed envelope at index 1 of the batch: expected an object, got an integer");
    assertThatThrownBy(() -> parse("[" + envelope("newLead", "{}") + ",{\"event\":\"newLead\"}]"))
        .hasMessage("Malformed envelope at index 1 of the batch: missing field \"timestamp\"");
  }

  @Test
  void makesEnvelopeDataUnmodifiable() {
    Envelope envelope = parse(envelope("newLead", "{\"a\":1}")).get(0);
    assertThatThrownBy(() -> envelope.data().put("b", 2L))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void splitsPayloadIdsHeader() {
    assertThat(Envelopes.payloadIds("0WB000000000001")).containsExactly("0WB000000000001");
    assertThat(Envelopes.payloadIds("0WB000000000001, 0WB000000000002,0WB000000000003"))
        .containsExactly("0WB000000000001", "0WB000000000002", "0WB000000000003");
    assertThat(Envelopes.payloadIds(null)).isEmpty();
    assertThat(Envelopes.payloadIds(" ")).isEmpty();
  }
}
