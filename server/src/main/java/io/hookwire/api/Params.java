package io.hookwire.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
      requireWellEncoded(ctx.queryString().getBytes(StandardCharsets.UTF_8), "the query string");
    }
    ctx.queryParamMap().forEach((k, v) -> putFirst(node, k, v));
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
      requireWellEncoded(body, "the form body");
      ctx.formParamMap().forEach((k, v) -> putFirst(node, k, v));
    } else {
      throw ApiException.general(
          415, "send parameters as application/x-www-form-urlencoded or application/json");
    }
    return new Params(node);
  }

  /**
   * Jetty's decoder forgives malformed escapes and bytes: it drops the rest of a form after a bad
   * {@code %zz} and turns invalid UTF-8 into U+FFFD, so a request would be half-read and still
   * answered 200. Such input is refused whole instead.
   */
  private static void requireWellEncoded(byte[] encoded, String what) {
    ByteArrayOutputStream decoded = new ByteArrayOutputStream(encoded.length);
    for (int i = 0; i < encoded.length; i++) {
      if (encoded[i] == '%') {
        int high = i + 2 < encoded.length ? Character.digit(encoded[i + 1], 16) : -1;
        int low = high >= 0 ? Character.digit(encoded[i + 2], 16) : -1;
        if (low < 0) {
          throw ApiException.general(400, what + " has a malformed %-escape");
        }
        decoded.write(high * 16 + low);
        i += 2;
      } else {
        // Raw (unescaped) UTF-8 is forgiven as curl sends it; it is checked all the same.
        decoded.write(encoded[i]);
      }
    }
    requireUtf8(decoded.toByteArray(), what);
  }

  /** Refuses bytes that are not well-formed UTF-8, naming {@code what} they are. */
  static void requireUtf8(byte[] bytes, String what) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException e) {
      throw ApiException.general(400, what + " is not valid UTF-8");
    }
  }

  private static void putFirst(ObjectNode node, String key, List<String> values) {
    if (!values.isEmpty()) {
      node.put(key, values.get(0));
    }
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
