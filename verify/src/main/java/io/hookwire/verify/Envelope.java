package io.hookwire.verify;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One event of a delivery: {@code {"event":"newLead","timestamp":1705315200,"webhookId":"0WA...",
 * "data":{...}}}. Obtain instances with {@link Envelopes#parse(byte[])}.
 *
 * @param event the event name, for example {@code newLead}
 * @param timestamp when the event happened, in Unix seconds
 * @param webhookId the id of the webhook the delivery belongs to ({@code 0WA...})
 * @param data the event's fields as an unmodifiable, ordered map: nested objects are maps, arrays
 *     are lists, numbers are {@link Long} or {@link java.math.BigDecimal}, and {@code true}/{@code
 *     false}/{@code null} are {@link Boolean} or {@code null}
 */
public record Envelope(String event, long timestamp, String webhookId, Map<String, Object> data) {

  /** Validates the components and makes {@code data} an unmodifiable copy. */
  public Envelope {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(webhookId, "webhookId");
    data = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(data, "data")));
  }

  /**
   * Returns {@link #timestamp()} as an instant.
   *
   * @return when the event happened
   */
  public Instant time() {
    return Instant.ofEpochSecond(timestamp);
  }
}
