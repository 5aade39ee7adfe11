package io.hookwire.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookwire.core.Json;
import io.hookwire.service.Input;
import io.hookwire.service.ListWebhooks;
import io.hookwire.service.PageRequest;
import io.hookwire.service.PublishEvent;
import io.hookwire.service.WebhookFields;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import okhttp3.MediaType;
import org.eclipse.jetty.util.UrlEncoded;

/**
 * A request's parameters, whichever way they came: the query string, a form body (as the
 * reference's {@code curl -d} sends) or a JSON object body, turned into the service's commands.
 * Values are JSON nodes; form values are strings.
 */
public final class Params {
  private static final Set<String> UTF_8 = Set.of("utf-8", "utf8");

  private final ObjectNode values;

  private Params(ObjectNode values) {
    this.values = values;
  }

  /** Query parameters, overlaid by the body's. */
  static Params from(Context ctx, byte[] body) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    if (ctx.queryString() != null) {
      node.setAll(urlEncoded(ctx.queryString(), "the query string"));
    }
    if (body.length == 0) {
      return new Params(node);
    }
    switch (mediaType(ctx)) {
      case "application/json" -> {
        JsonNode json = Json.parse(body);
        if (!json.isObject()) {
          throw ApiException.general(400, "the JSON body must be an object");
        }
        node.setAll((ObjectNode) json);
      }
      case "application/x-www-form-urlencoded" ->
          node.setAll(urlEncoded(Json.utf8(body, "the form body"), "the form body"));
      default ->
          throw ApiException.general(
              415, "send parameters as application/x-www-form-urlencoded or application/json");
    }
    return new Params(node);
  }

  /**
   * The body's media type, lower case, without parameters: {@code application/json} exactly (not
   * {@code application/jsonx}). A charset other than UTF-8 is refused rather than misread.
   *
   * @return empty when there is no Content-Type
   */
  static String mediaType(Context ctx) {
    String header = ctx.header("Content-Type");
    if (header == null || header.isBlank()) {
      return "";
    }
    MediaType type = MediaType.parse(header);
    if (type == null) {
      throw ApiException.general(415, "the Content-Type header is malformed");
    }
    String charset = type.parameter("charset");
    if (charset != null && !UTF_8.contains(charset.toLowerCase(Locale.ROOT))) {
      throw ApiException.general(415, "send the body in UTF-8 (charset=utf-8, or no charset)");
    }
    return type.type() + "/" + type.subtype();
  }

  /**
   * Decodes {@code a=1&b=2} the way PHP (and so Oktopost) does: a {@code %} that starts no escape
   * stays as it is, because {@code curl -d name="50% off"} sends it unescaped. A decoder that
   * dropped such a value would answer "name is required", or ignore it in an update. A parameter
   * given twice is refused: parsers disagree on which one counts.
   */
  private static ObjectNode urlEncoded(String encoded, String where) {
    ObjectNode values = JsonNodeFactory.instance.objectNode();
    try {
      UrlEncoded.decodeUtf8To(
          encoded,
          0,
          encoded.length(),
          (name, value) -> {
            if (values.has(name)) {
              throw ApiException.invalid(name, name + " is given more than once in " + where);
            }
            values.put(name, value);
          },
          true,
          false,
          false);
    } catch (IllegalArgumentException e) {
      throw ApiException.general(400, where + " is not valid UTF-8");
    }
    return values;
  }

  /** One parameter as a command's field. */
  Input input(String name) {
    return Input.fromJson(values.get(name));
  }

  /** The raw JSON value, for parameters that take objects. */
  Optional<JsonNode> node(String name) {
    return Optional.ofNullable(values.get(name)).filter(v -> !v.isNull());
  }

  WebhookFields webhookFields() {
    return new WebhookFields(
        input("name"),
        input("description"),
        input("event"),
        input("url"),
        input("isEnabled"),
        input("retrySchedule"),
        input("batchSize"));
  }

  PageRequest paging() {
    return new PageRequest(input("_page"), input("_count"));
  }

  ListWebhooks listWebhooks() {
    return new ListWebhooks(input("event"), input("name"), input("_order"), paging());
  }

  PublishEvent publishEvent(Optional<String> idempotencyKey) {
    return new PublishEvent(
        input("event"), node("data"), idempotencyKey.map(Input::of).orElse(Input.absent()));
  }
}
