package io.hookwire.service;

/**
 * A webhook's fields as given to create or change it, named as the API names them. On a change, an
 * absent field keeps its value; on creation, name, event and url are required and the others have
 * defaults (enabled, the server's retry schedule, one payload per request).
 *
 * @param retrySchedule delays such as {@code 5s,25s,125s}; given empty, the server's schedule
 */
public record WebhookFields(
    Input name,
    Input description,
    Input event,
    Input url,
    Input isEnabled,
    Input retrySchedule,
    Input batchSize) {

  /** Changes nothing but whether the webhook is enabled. */
  public static WebhookFields enabled(boolean enabled) {
    Input none = Input.absent();
    return new WebhookFields(none, none, none, none, Input.of(enabled ? "1" : "0"), none, none);
  }
}
