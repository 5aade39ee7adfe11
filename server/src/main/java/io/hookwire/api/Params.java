package io.hookwire.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.util.UrlEncoded;

/**
 * A request's parameters, whichever way they came: the query string, a form body (as the
 * reference's {@code curl -d} sends) or a JSON object body. Values are JSON nodes; form values are
 * strings.
 */
public final class Params {
  private final ObjectNode values;

  private Params(ObjectNode values) {
    this.values = values;
  }

  public static Params of(Map<String, String> values) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    values.forEach(node::put);
    return new Params(node);
  }

  public static Params of(ObjectNode values) {
    return new Params(values);
  }

  /** Query parameters, overlaid by the body's. */
  static Params from(Context ctx) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    if (ctx.queryString() != null) {
      node.setAll(urlEncoded(ctx.queryString(), "the query string"));
    }
    String contentType =
        ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    byte[] body = ctx.bodyAsBytes();
    if (body.length == 0) {
      return new Params(node);
    }
    if (contentType.startsWith("application/json")) {
      JsonNode json = Json.parse(body);
      if (!json.isObject()) {
        throw ApiException.general(400, "the JSON body must be an object");
      }
      node.setAll((ObjectNode) json);
    } else if (contentType.startsWith("application/x-www-form-urlencoded")) {
      node.setAll(urlEncoded(utf8(body, "the form body"), "the form body"));
    } else {
      throw ApiException.general(
          415, "send parameters as application/x-www-form-urlencoded or application/json");
    }
    return new Params(node);
  }

  /** The text of {@code bytes}; refuses bytes that are not well-formed UTF-8, naming them. */
  static String utf8(byte[] bytes, String what) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw ApiException.general(400, what + " is not valid UTF-8");
    }
  }

  /**
   * Decodes {@code a=1&b=2} the way PHP (and so Oktopost) does: a {@code %} that starts no escape
   * stays as it is, because {@code curl -d name="50% off"} sends it unescaped. A decoder that
   * dropped such a value would answer "name is required", or ignore it in an update. The first of
   * repeated parameters wins.
   */
  private static ObjectNode urlEncoded(String encoded, String where) {
    ObjectNode values = JsonNodeFactory.instance.objectNode();
    try {
      UrlEncoded.decodeUtf8To(
          encoded,
          0,
          encoded.length(),
          (name, value) -> {
            if (!values.has(name)) {
              values.put(name, value);
            }
          },
          true,
          false,
          false);
    } catch (IllegalArgumentException e) {
      throw ApiException.general(400, where + " is not valid UTF-8");
    }
    return values;
  }

  public boolean has(String name) {
    return values.has(name) && !values.get(name).isNull();
  }

  /** A string parameter; numbers and booleans are taken as their text. */
  public Optional<String> string(String name) {
    JsonNode v = values.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (v.isTextual()) {
      return Optional.of(v.textValue());
    }
    if (v.isNumber() || v.isBoolean()) {
      return Optional.of(v.asText());
    }
    throw ApiException.invalid(name, name + " must be a string");
  }

  /** The raw JSON value, for parameters that take objects. */
  public Optional<JsonNode> node(String name) {
    return Optional.ofNullable(values.get(name)).filter(v -> !v.isNull());
  }

  /** A 0/1 flag as the reference's {@code isEnabled}; {@code true}/{@code false} too. */
  public Optional<Boolean> flag(String name) {
    JsonNode v = values.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    String text = v.asText().strip();
    return switch (text) {
      case "1", "true" -> Optional.of(true);
      case "0", "false" -> Optional.of(false);
      default -> throw ApiException.invalid(name, name + " must be 1 or 0");
    };
  }

  /** An integer parameter within bounds. */
  public Optional<Integer> integer(String name, int min, int max) {
    JsonNode v = values.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    String text = v.isNumber() ? v.asText() : v.isTextual() ? v.textValue().strip() : "";
    try {
      int n = Integer.parseInt(text);
      if (n >= min && n <= max) {
        return Optional.of(n);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.invalid(name, name + " must be a whole number from " + min + " to " + max);
  }
}
