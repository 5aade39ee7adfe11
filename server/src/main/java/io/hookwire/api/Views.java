package io.hookwire.api;

import io.hookwire.core.Account;
import io.hookwire.core.Clocks;
import io.hookwire.core.Envelope;
import io.hookwire.core.Json;
import io.hookwire.core.LogEntry;
import io.hookwire.core.Page;
import io.hookwire.core.PublishedEvent;
import io.hookwire.core.RetrySchedule;
import io.hookwire.core.Webhook;
import io.hookwire.core.WebhookRow;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The JSON the API answers, field for field as the API reference shows it. */
final class Views {
  private Views() {}

  static Map<String, Object> ok(String key, Object value) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("Result", true);
    out.put(key, value);
    return out;
  }

  static <T> Map<String, Object> list(Page<T> page, Function<T, Object> view) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("Result", true);
    out.put("Items", page.items().stream().map(view).toList());
    out.put("Total", page.total());
    return out;
  }

  static Map<String, Object> error(Map<String, String> errors) {
    Map<String, Object> fields = new LinkedHashMap<>();
    errors.forEach((field, message) -> fields.put(field, Map.of("Error", message)));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("Result", false);
    out.put("Errors", fields);
    return out;
  }

  /** The webhook object; {@code Secret} only when it was just created or rotated. */
  static Map<String, Object> webhook(WebhookRow row, Optional<String> secret) {
    Webhook w = row.webhook();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("Id", w.id());
    out.put("Name", w.name());
    out.put("Description", w.description());
    out.put("Event", w.event().name());
    out.put("Url", w.url());
    // "-" until the first request, as the reference's create response shows.
    out.put("LastExecutionDate", w.lastExecution().map(Clocks::format).orElse("-"));
    out.put("IsEnabled", w.enabled() ? 1 : 0);
    secret.ifPresent(s -> out.put("Secret", s));
    out.put("Created", Clocks.format(w.created()));
    out.put("Modified", Clocks.format(w.modified()));
    // Beyond the reference: null means the server-wide schedule.
    out.put("RetrySchedule", w.retrySchedule().map(RetrySchedule::toString).orElse(null));
    out.put("BatchSize", w.batchSize());
    return out;
  }

  static Map<String, Object> webhook(WebhookRow row) {
    return webhook(row, Optional.empty());
  }

  static Map<String, Object> logEntry(LogEntry e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("Id", e.id());
    out.put("WebhookPayloadId", e.payloadId());
    out.put("Created", Clocks.format(e.created()));
    out.put("ResponseCode", e.responseCode());
    // Seconds with microseconds, as the reference's 0.034530.
    out.put("ExecutionTime", BigDecimal.valueOf(e.executionMicros(), 6));
    out.put(
        "Payload", Json.parse(Envelope.of(e.event(), e.eventCreated(), e.webhookId(), e.data())));
    // Beyond the reference: which attempt, and what went wrong when there was no 2xx.
    out.put("Attempt", e.attempt());
    out.put("Error", e.error());
    out.put("Response", e.responseBody());
    return out;
  }

  static Map<String, Object> event(PublishedEvent e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("Id", e.id());
    out.put("Event", e.event().name());
    out.put("Created", Clocks.format(e.created()));
    out.put("Payloads", e.payloads());
    out.put("IdempotencyKey", e.idempotencyKey().orElse(null));
    out.put("Duplicate", e.duplicate());
    return out;
  }

  /**
   * {@code GET /v2/me} in the shape Oktopost's SDK reads ({@code MeResponse}: a User and an
   * Account). Hookwire has no users: the API key is the account's, so the user is the account, with
   * no email and no sign-in time.
   */
  static Map<String, Object> me(Account a) {
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("Id", a.id());
    user.put("Name", a.name());
    user.put("Email", "");
    user.put("LastLogin", "");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("Result", true);
    out.put("User", user);
    out.put("Account", account(a));
    return out;
  }

  static Map<String, Object> account(Account a) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("Id", a.id());
    out.put("Name", a.name());
    out.put("Created", Clocks.format(a.created()));
    return out;
  }

  static Map<String, Object> events(List<PublishedEvent> events) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("Result", true);
    out.put("Items", events.stream().map(Views::event).toList());
    out.put("Total", events.size());
    return out;
  }
}
