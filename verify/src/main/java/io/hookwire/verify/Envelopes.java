package io.hookwire.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Parses delivery bodies. A body is either one envelope object or, for a batch delivery, a JSON
 * array of envelope objects; {@link #parse(byte[])} returns a list in both cases.
 *
 * <p>Verify the body with {@link WebhookVerifier} before parsing it.
 */
public final class Envelopes {

  private Envelopes() {}

  /**
   * Parses a delivery body.
   *
   * <p>The JSON syntax is checked strictly (RFC 8259; duplicate keys are rejected). Each envelope
   * must have a string {@code event}, an integer {@code timestamp}, a string {@code webhookId} and
   * an object {@code data}; other fields are ignored.
   *
   * @param body the raw request body (UTF-8 JSON)
   * @return the envelopes: one for a single delivery, one per element for a batch (possibly none)
   * @throws IllegalArgumentException if the body is not valid JSON or not envelopes, with a message
   *     saying where and why
   */
  public static List<Envelope> parse(byte[] body) {
    Objects.requireNonNull(body, "body");
    Object root = Json.parse(body);
    if (root instanceof Map<?, ?> single) {
      return List.of(envelope(single, "Malformed envelope"));
    }
    if (root instanceof List<?> batch) {
      List<Envelope> envelopes = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        String where = "Malformed envelope at index " + i + " of the batch";
        if (!(batch.get(i) instanceof Map<?, ?> element)) {
          throw new IllegalArgumentException(
              where + ": expected an object, got " + type(batch.get(i)));
        }
        envelopes.add(envelope(element, where));
      }
      return List.copyOf(envelopes);
    }
    throw new IllegalArgumentException(
        "Malformed delivery body: expected an envelope object or an array of them, got "
            + type(root));
  }

  /**
   * Splits the {@code X-Oktopost-Payload} header into the payload ids it lists ({@code 0WB...}),
   * one per envelope and in the same order as the list {@link #parse} returns. Deliveries are at
   * least once: a receiver can use these ids to skip payloads it has already processed.
   *
   * @param header the header value, or {@code null}
   * @return the ids in header order; empty if the header is absent or blank
   */
  public static List<String> payloadIds(String header) {
    if (header == null) {
      return List.of();
    }
    return Arrays.stream(header.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static Envelope envelope(Map<?, ?> json, String where) {
    String event = field(json, "event", String.class, "a string", where);
    Long timestamp = field(json, "timestamp", Long.class, "an integer", where);
    String webhookId = field(json, "webhookId", String.class, "a string", where);
    Map<?, ?> data = field(json, "data", Map.class, "an object", where);
    @SuppressWarnings("unchecked") // Json produces maps with String keys
    Map<String, Object> typed = (Map<String, Object>) data;
    return new Envelope(event, timestamp, webhookId, typed);
  }

  private static <T> T field(
      Map<?, ?> json, String name, Class<T> type, String expected, String where) {
    if (!json.containsKey(name)) {
      throw new IllegalArgumentException(where + ": missing field \"" + name + "\"");
    }
    Object value = json.get(name);
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(
          where + ": field \"" + name + "\" must be " + expected + ", got " + type(value));
    }
    return type.cast(value);
  }

  private static String type(Object value) {
    if (value == null) {
      return "null";
    } else if (value instanceof Map) {
      return "an object";
    } else if (value instanceof List) {
      return "an array";
    } else if (value instanceof String) {
      return "a string";
    } else if (value instanceof Boolean) {
      return "a boolean";
    } else if (value instanceof Long) {
      return "an integer";
    } else {
      return "a number";
    }
  }
}
