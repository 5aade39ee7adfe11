package io.hookwire.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One field of a command as its caller received it: absent, the text given, or a value that is not
 * text at all (a JSON object where a name belongs). The service validates the text, so the REST API
 * and the admin pages accept and refuse exactly the same things in the same words.
 */
public sealed interface Input {
  /** Not sent. */
  record Absent() implements Input {}

  /** Sent as text (numbers and booleans in JSON count as their text). */
  record Text(String value) implements Input {}

  /** Sent, but as something no text field takes. */
  record NotText() implements Input {}

  static Input absent() {
    return new Absent();
  }

  static Input of(String text) {
    return new Text(text);
  }

  /** {@code text}, or absent when it is null. */
  static Input ofNullable(String text) {
    return text == null ? absent() : of(text);
  }

  static Input notText() {
    return new NotText();
  }

  /** A JSON value: null and missing are absent; strings, numbers and booleans are their text. */
  static Input fromJson(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return absent();
    }
    if (value.isTextual()) {
      return of(value.textValue());
    }
    return value.isNumber() || value.isBoolean() ? of(value.asText()) : notText();
  }

  /** The text, if text was sent. */
  default Optional<String> text() {
    return this instanceof Text t ? Optional.of(t.value()) : Optional.empty();
  }

  default boolean isPresent() {
    return !(this instanceof Absent);
  }
}
