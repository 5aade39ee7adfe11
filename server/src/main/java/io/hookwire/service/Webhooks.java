package io.hookwire.service;

import io.hookwire.core.EventType;
import io.hookwire.core.Ids;
import io.hookwire.core.LogEntry;
import io.hookwire.core.Page;
import io.hookwire.core.PayloadState;
import io.hookwire.core.RetrySchedule;
import io.hookwire.core.Webhook;
import io.hookwire.core.WebhookChanges;
import io.hookwire.core.WebhookOrder;
import io.hookwire.core.WebhookQuery;
import io.hookwire.core.WebhookRow;
import io.hookwire.security.SecretBox;
import io.hookwire.security.Secrets;
import io.hookwire.security.TargetPolicy;
import io.hookwire.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an account can do with its webhooks, validated. The REST API and the admin pages each turn
 * their input into the same commands ({@link WebhookFields}, {@link ListWebhooks}, {@link
 * PageRequest}), so they accept and refuse exactly the same things in the same words: {@link
 * ValidationException} for what the caller can fix, {@link NotFoundException} for what is not
 * there.
 */
public final class Webhooks {
  public static final int MAX_NAME = 255;
  public static final int MAX_DESCRIPTION = 1_000;

  /** The reference's {@code _count} options. */
  public static final Set<Integer> PAGE_SIZES = Set.of(20, 25, 50, 100);

  /** A page number beyond this is a mistake or a probe; it would only scan. */
  private static final int MAX_PAGE = 1_000_000;

  /** A created or rotated webhook and its Secret in clear, shown once. */
  public record WithSecret(WebhookRow row, String secret) {}

  private final Store store;
  private final SecretBox secrets;
  private final TargetPolicy policy;
  private final Clock clock;
  private final Duration rotationGrace;
  private final Runnable wakeDispatcher;
  private final Duration minRetryDelay;

  public Webhooks(
      Store store,
      SecretBox secrets,
      TargetPolicy policy,
      Clock clock,
      Duration rotationGrace,
      Duration minRetryDelay,
      Runnable wakeDispatcher) {
    this.minRetryDelay = minRetryDelay;
    this.store = store;
    this.secrets = secrets;
    this.policy = policy;
    this.clock = clock;
    this.rotationGrace = rotationGrace;
    this.wakeDispatcher = wakeDispatcher;
  }

  public WithSecret create(String accountId, WebhookFields f) {
    FieldErrors errors = new FieldErrors();
    Optional<EventType> event = event(f.event(), errors);
    if (!f.event().isPresent()) {
      errors.add("event", "event is required");
    }
    Optional<String> name = text(f.name(), "name", MAX_NAME, false, errors);
    if (name.isEmpty() && !errors.has("name")) {
      errors.add("name", "name is required");
    }
    Optional<String> url = url(f.url(), errors);
    if (!f.url().isPresent()) {
      errors.add("url", "url is required");
    }
    Optional<String> description =
        text(f.description(), "description", MAX_DESCRIPTION, true, errors);
    Optional<Boolean> enabled = flag(f.isEnabled(), "isEnabled", errors);
    Optional<Optional<RetrySchedule>> schedule = retrySchedule(f.retrySchedule(), errors);
    Optional<Integer> batchSize =
        integer(f.batchSize(), "batchSize", 1, Webhook.MAX_BATCH_SIZE, errors);
    errors.throwIfAny();

    Instant now = clock.instant();
    String id = Ids.WEBHOOK.next();
    String secret = Secrets.generate();
    Webhook webhook =
        new Webhook(
            accountId,
            id,
            name.orElseThrow(),
            description.orElse(""),
            event.orElseThrow(),
            url.orElseThrow(),
            enabled.orElse(true),
            schedule.flatMap(s -> s),
            batchSize.orElse(1),
            Optional.empty(),
            now,
            now);
    WebhookRow row =
        new WebhookRow(
            webhook,
            secrets.seal(secret, SecretBox.webhookBinding(accountId, id)),
            Optional.empty(),
            Optional.empty());
    store.insertWebhook(row);
    return new WithSecret(row, secret);
  }

  public WebhookRow get(String accountId, String webhookId) {
    if (!Ids.WEBHOOK.matches(webhookId)) {
      throw notFound();
    }
    return store.findWebhook(accountId, webhookId).orElseThrow(Webhooks::notFound);
  }

  public Page<WebhookRow> list(String accountId, ListWebhooks q) {
    FieldErrors errors = new FieldErrors();
    Optional<EventType> event = event(q.event(), errors);
    Optional<String> name = string(q.name(), "name", errors);
    if (name.isPresent() && (hasControl(name.get(), false) || hasLoneSurrogate(name.get()))) {
      // No name can contain them, and PostgreSQL refuses a NUL in any text.
      errors.add("name", "name must not contain control characters");
      name = Optional.empty();
    }
    Optional<WebhookOrder> order = Optional.empty();
    Optional<String> orderText = string(q.order(), "_order", errors);
    if (orderText.isPresent()) {
      order = WebhookOrder.parse(orderText.get());
      if (order.isEmpty()) {
        errors.add(
            "_order",
            "_order must be one of name, description, lastExecutionDate, isEnabled, created,"
                + " modified");
      }
    }
    int[] paging = paging(q.paging(), errors);
    errors.throwIfAny();
    return store.listWebhooks(
        accountId,
        new WebhookQuery(
            event,
            name.filter(n -> !n.isEmpty()),
            order.orElse(WebhookOrder.name),
            paging[0],
            paging[1]));
  }

  public WebhookRow update(String accountId, String webhookId, WebhookFields f) {
    get(accountId, webhookId);
    FieldErrors errors = new FieldErrors();
    WebhookChanges changes =
        new WebhookChanges(
            text(f.name(), "name", MAX_NAME, false, errors),
            text(f.description(), "description", MAX_DESCRIPTION, true, errors),
            event(f.event(), errors),
            url(f.url(), errors),
            flag(f.isEnabled(), "isEnabled", errors),
            retrySchedule(f.retrySchedule(), errors),
            integer(f.batchSize(), "batchSize", 1, Webhook.MAX_BATCH_SIZE, errors));
    errors.throwIfAny();
    WebhookRow updated =
        store
            .updateWebhook(accountId, webhookId, changes, clock.instant())
            .orElseThrow(Webhooks::notFound);
    if (changes.enabled().orElse(false)) {
      wakeDispatcher.run();
    }
    return updated;
  }

  public void delete(String accountId, String webhookId) {
    get(accountId, webhookId);
    if (!store.deleteWebhook(accountId, webhookId)) {
      throw notFound();
    }
  }

  /**
   * A new Secret. The old one keeps signing beside it (Standard Webhooks' signature list) for the
   * grace period, so receivers can switch without losing a delivery.
   */
  public WithSecret rotateSecret(String accountId, String webhookId) {
    WebhookRow current = get(accountId, webhookId);
    String secret = Secrets.generate();
    Instant now = clock.instant();
    WebhookRow rotated =
        store
            .rotateSecret(
                accountId,
                webhookId,
                secrets.seal(secret, SecretBox.webhookBinding(accountId, webhookId)),
                current.secretSealed(),
                now.plus(rotationGrace),
                now)
            .orElseThrow(Webhooks::notFound);
    return new WithSecret(rotated, secret);
  }

  /**
   * Re-queues failed payloads, all or those created at or after {@code since} ({@code YYYY-MM-DD
   * HH:MM:SS} or {@code YYYY-MM-DD}, UTC).
   */
  public int resend(String accountId, String webhookId, Input since) {
    get(accountId, webhookId);
    FieldErrors errors = new FieldErrors();
    Optional<Instant> from = string(since, "since", errors).map(Webhooks::date);
    errors.throwIfAny();
    int resent = store.resend(accountId, webhookId, from, clock.instant());
    wakeDispatcher.run();
    return resent;
  }

  public Page<LogEntry> log(String accountId, String webhookId, PageRequest page) {
    get(accountId, webhookId);
    FieldErrors errors = new FieldErrors();
    int[] paging = paging(page, errors);
    errors.throwIfAny();
    return store.log(accountId, webhookId, paging[0], paging[1]);
  }

  public long held(String accountId, String webhookId) {
    return store.countPayloads(accountId, webhookId, PayloadState.held);
  }

  public long failed(String accountId, String webhookId) {
    return store.countPayloads(accountId, webhookId, PayloadState.failed);
  }

  /** Binds a sealed secret to its row: copied onto another webhook, it does not decrypt. */
  private static NotFoundException notFound() {
    return new NotFoundException("Webhook");
  }

  // Validation of each field; each adds to errors rather than failing at the first.

  private static Optional<EventType> event(Input input, FieldErrors errors) {
    Optional<String> value = string(input, "event", errors);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Optional<EventType> type = EventType.parse(value.get());
    if (type.isEmpty()) {
      errors.add("event", "event must be one of the supported event types, e.g. newLead");
    }
    return type;
  }

  private Optional<String> url(Input input, FieldErrors errors) {
    Optional<String> value = string(input, "url", errors);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String url = value.get().strip();
    Optional<String> why = policy.whyUrlRejected(url);
    why.ifPresent(message -> errors.add("url", message));
    return why.isPresent() ? Optional.empty() : Optional.of(url);
  }

  /** The text given, if any; a value that is not text is an error. */
  private static Optional<String> string(Input input, String field, FieldErrors errors) {
    if (input instanceof Input.NotText) {
      errors.add(field, field + " must be a string");
    }
    return input.text();
  }

  /** A 0/1 flag as the reference's {@code isEnabled}; {@code true}/{@code false} too. */
  private static Optional<Boolean> flag(Input input, String field, FieldErrors errors) {
    if (!input.isPresent()) {
      return Optional.empty();
    }
    switch (input.text().orElse("").strip()) {
      case "1", "true":
        return Optional.of(true);
      case "0", "false":
        return Optional.of(false);
      default:
        errors.add(field, field + " must be 1 or 0");
        return Optional.empty();
    }
  }

  /** A whole number within bounds. */
  private static Optional<Integer> integer(
      Input input, String field, int min, int max, FieldErrors errors) {
    if (!input.isPresent()) {
      return Optional.empty();
    }
    try {
      int n = Integer.parseInt(input.text().orElse("").strip());
      if (n >= min && n <= max) {
        return Optional.of(n);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    errors.add(field, field + " must be a whole number from " + min + " to " + max);
    return Optional.empty();
  }

  /**
   * A name or description: stripped, bounded, free of control characters (a description may have
   * line breaks and tabs).
   */
  private static Optional<String> text(
      Input input, String field, int max, boolean multiline, FieldErrors errors) {
    Optional<String> value = string(input, field, errors);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String text = value.get().strip();
    if (!multiline && text.isEmpty()) {
      errors.add(field, field + " must not be empty");
    } else if (text.codePointCount(0, text.length()) > max) {
      errors.add(field, field + " must be at most " + max + " characters");
    } else if (hasControl(text, multiline)) {
      errors.add(field, field + " must not contain control characters");
    } else if (hasInvisible(text)) {
      errors.add(
          field, field + " must not contain invisible or text-direction formatting characters");
    } else if (hasLoneSurrogate(text)) {
      errors.add(field, field + " must be valid Unicode");
    } else {
      return Optional.of(text);
    }
    return Optional.empty();
  }

  private static boolean hasControl(String text, boolean multiline) {
    return text.chars()
        .anyMatch(
            c ->
                Character.isISOControl(c) && !(multiline && (c == '\n' || c == '\r' || c == '\t')));
  }

  /**
   * Format characters (Unicode category Cf): bidi overrides such as U+202E that make a name read
   * backwards, zero-width spaces that make two names look alike. Zero-width joiners and non-joiners
   * stay allowed between two visible characters, where scripts such as Persian and emoji sequences
   * need them.
   */
  private static boolean hasInvisible(String text) {
    int[] cps = text.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      if (Character.getType(cps[i]) != Character.FORMAT) {
        continue;
      }
      boolean joiner = cps[i] == 0x200C || cps[i] == 0x200D;
      if (!joiner
          || i == 0
          || i == cps.length - 1
          || !visible(cps[i - 1])
          || !visible(cps[i + 1])) {
        return true;
      }
    }
    return false;
  }

  private static boolean visible(int cp) {
    return !Character.isWhitespace(cp)
        && !Character.isISOControl(cp)
        && Character.getType(cp) != Character.FORMAT;
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** Present-and-empty means "back to the server-wide schedule". */
  private Optional<Optional<RetrySchedule>> retrySchedule(Input input, FieldErrors errors) {
    Optional<String> value = string(input, "retrySchedule", errors);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.get().isBlank()) {
      return Optional.of(Optional.empty());
    }
    RetrySchedule schedule;
    try {
      schedule = RetrySchedule.parse(value.get());
    } catch (IllegalArgumentException e) {
      errors.add("retrySchedule", "retrySchedule " + e.getMessage());
      return Optional.empty();
    }
    if (schedule.delays().stream().anyMatch(d -> d.compareTo(minRetryDelay) < 0)) {
      errors.add(
          "retrySchedule",
          "retrySchedule delays must each be at least "
              + new RetrySchedule(List.of(minRetryDelay)));
      return Optional.empty();
    }
    return Optional.of(Optional.of(schedule));
  }

  private static int[] paging(PageRequest p, FieldErrors errors) {
    int page = integer(p.page(), "_page", 0, MAX_PAGE, errors).orElse(0);
    // One message whatever is wrong, in the reference's words ("Options: 20, 25, 50, 100").
    Optional<Integer> count =
        p.count().isPresent()
            ? PAGE_SIZES.stream()
                .filter(size -> p.count().text().orElse("").strip().equals(size.toString()))
                .findFirst()
            : Optional.of(20);
    if (count.isEmpty()) {
      errors.add("_count", "_count must be one of the options 20, 25, 50, 100");
    }
    return new int[] {page, count.orElse(20)};
  }

  /** {@code YYYY-MM-DD HH:MM:SS} or {@code YYYY-MM-DD}, in UTC, as the API writes dates. */
  static Instant date(String text) {
    String t = text.strip();
    try {
      if (t.length() == 10) {
        return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw ValidationException.of("since", "since must be a date: YYYY-MM-DD HH:MM:SS (UTC)");
    }
  }
}
