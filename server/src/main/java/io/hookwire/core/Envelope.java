package io.hookwire.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The body of a delivery: the API reference's envelope {@code {"event", "timestamp", "webhookId",
 * "data"}}, compact and in {@link CanonicalJson}'s form, or a JSON array of envelopes for a webhook
 * that takes batches.
 */
public final class Envelope {
  private Envelope() {}

  /**
   * @param data canonical JSON, stored that way at publish time
   */
  public static String of(EventType event, Instant created, String webhookId, String data) {
    StringBuilder out = new StringBuilder(64 + data.length());
    // The event name and webhook id are plain ASCII letters and digits: nothing to escape.
    out.append("{\"event\":");
    CanonicalJson.string(event.name(), out);
    out.append(",\"timestamp\":").append(created.getEpochSecond()).append(",\"webhookId\":");
    CanonicalJson.string(webhookId, out);
    return out.append(",\"data\":").append(data).append('}').toString();
  }

  /** One envelope alone, or an array when the webhook takes batches (even of one). */
  public static byte[] body(List<String> envelopes, boolean batched) {
    String body = batched ? "[" + String.join(",", envelopes) + "]" : envelopes.get(0);
    return body.getBytes(StandardCharsets.UTF_8);
  }
}
