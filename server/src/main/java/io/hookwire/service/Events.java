package io.hookwire.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.core.CanonicalJson;
import io.hookwire.core.EventType;
import io.hookwire.core.Json;
import io.hookwire.core.NewEvent;
import io.hookwire.core.PublishedEvent;
import io.hookwire.delivery.Intake;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Publishing: validate, then store durably with the fan-out (see {@link Intake}). */
public final class Events {
  /** Events per {@code POST /v2/events}: one transaction stays short. */
  public static final int MAX_EVENTS_PER_REQUEST = 1_000;

  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

  private final Intake intake;
  private final int maxDataBytes;

  public Events(Intake intake, int maxDataBytes) {
    this.intake = intake;
    this.maxDataBytes = maxDataBytes;
  }

  public PublishedEvent publish(String accountId, PublishEvent command) {
    FieldErrors errors = new FieldErrors();
    NewEvent event = read(command, "", errors);
    errors.throwIfAny();
    return store(accountId, List.of(event)).get(0);
  }

  /**
   * @param array each element {@code {"event": ..., "data": {...}, "idempotencyKey": ...}}
   */
  public List<PublishedEvent> publishBatch(String accountId, JsonNode array) {
    if (!array.isArray()) {
      throw ValidationException.general("the body must be a JSON array of events");
    }
    if (array.isEmpty() || array.size() > MAX_EVENTS_PER_REQUEST) {
      throw ValidationException.general(
          "send from 1 to " + MAX_EVENTS_PER_REQUEST + " events at a time");
    }
    FieldErrors errors = new FieldErrors();
    List<NewEvent> events = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonNode item = array.get(i);
      String prefix = "events[" + i + "].";
      if (!item.isObject()) {
        errors.add("events[" + i + "]", "each event must be an object");
        continue;
      }
      events.add(
          read(
              new PublishEvent(
                  Input.fromJson(item.get("event")),
                  Optional.ofNullable(item.get("data")).filter(d -> !d.isNull()),
                  Input.fromJson(item.get("idempotencyKey"))),
              prefix,
              errors));
    }
    errors.throwIfAny();
    return store(accountId, events);
  }

  private List<PublishedEvent> store(String accountId, List<NewEvent> events) {
    return intake.publish(accountId, events);
  }

  private NewEvent read(PublishEvent command, String prefix, FieldErrors errors) {
    if (command.idempotencyKey() instanceof Input.NotText) {
      errors.add(prefix + "idempotencyKey", "idempotencyKey must be a string");
    }
    Optional<EventType> type = Optional.empty();
    switch (command.event()) {
      case Input.Absent absent -> errors.add(prefix + "event", "event is required");
      case Input.NotText notText -> errors.add(prefix + "event", "event must be a string");
      case Input.Text text -> {
        type = EventType.parse(text.value());
        if (type.isEmpty()) {
          errors.add(prefix + "event", "event must be one of the supported event types");
        }
      }
    }
    String data = "{}";
    Optional<JsonNode> node = command.data();
    if (node.isPresent()) {
      JsonNode value = node.get();
      if (value.isTextual()) {
        // A form body carries the data as a JSON string.
        try {
          value = Json.parse(value.textValue().getBytes(StandardCharsets.UTF_8));
        } catch (Json.Malformed e) {
          errors.add(prefix + "data", "data must be a JSON object");
          value = null;
        }
      }
      if (value != null && !value.isObject()) {
        errors.add(prefix + "data", "data must be a JSON object");
      } else if (value != null) {
        try {
          data = CanonicalJson.writeFinite(value);
        } catch (CanonicalJson.NotFinite e) {
          errors.add(
              prefix + "data",
              "data must not hold a number beyond the range of JSON numbers (about ±1.8e308)");
        }
        if (data.getBytes(StandardCharsets.UTF_8).length > maxDataBytes) {
          errors.add(prefix + "data", "data must be at most " + maxDataBytes + " bytes");
        }
      }
    }
    Optional<String> idempotencyKey = command.idempotencyKey().text();
    if (idempotencyKey.isPresent() && !IDEMPOTENCY_KEY.matcher(idempotencyKey.get()).matches()) {
      errors.add(
          prefix + "idempotencyKey",
          "the idempotency key must be 1 to 255 printable ASCII characters");
    }
    return new NewEvent(type.orElse(EventType.newLead), data, idempotencyKey);
  }
}
