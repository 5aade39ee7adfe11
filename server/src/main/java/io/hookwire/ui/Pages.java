package io.hookwire.ui;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import io.hookwire.Hookwire;
import io.hookwire.core.Clocks;
import io.hookwire.core.Envelope;
import io.hookwire.core.EventType;
import io.hookwire.core.Json;
import io.hookwire.core.LogEntry;
import io.hookwire.core.Page;
import io.hookwire.core.Webhook;
import io.hookwire.core.WebhookRow;
import io.hookwire.signing.Signer;
import io.hookwire.ui.Sessions.Notice;
import io.hookwire.ui.Sessions.OneTimeSecret;
import io.hookwire.ui.Sessions.Session;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The admin pages as HTML. Every value goes through {@link Html}, so all of it is escaped. */
final class Pages {
  /** A webhook in the table, with what its Status column says beyond enabled or not. */
  record Listed(WebhookRow row, long held, long failed) {}

  /** What the webhook list shows: a page of it, and the filter that chose it. */
  record ListView(
      Page<Listed> page, int pageNumber, int count, String nameFilter, String eventFilter) {}

  /** A form as typed, with the API's messages for what is wrong with it. */
  record Form(Map<String, String> values, Map<String, String> errors) {
    static Form empty() {
      return new Form(Map.of("isEnabled", "1"), Map.of());
    }

    static Form of(Webhook w) {
      Map<String, String> values = new LinkedHashMap<>();
      values.put("name", w.name());
      values.put("description", w.description());
      values.put("event", w.event().name());
      values.put("url", w.url());
      values.put("isEnabled", w.enabled() ? "1" : "0");
      values.put("retrySchedule", w.retrySchedule().map(Object::toString).orElse(""));
      values.put("batchSize", Integer.toString(w.batchSize()));
      return new Form(values, Map.of());
    }

    String value(String field) {
      return values.getOrDefault(field, "");
    }
  }

  /** Pretty JSON with {@code "key": value}, as people write it, rather than Jackson's spacing. */
  private static final DefaultPrettyPrinter PRETTY =
      new DefaultPrettyPrinter()
          .withSeparators(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER));

  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

  /** The fields the webhook form has, so errors on anything else are shown above it. */
  private static final List<String> FORM_FIELDS =
      List.of("name", "description", "event", "url", "isEnabled", "retrySchedule", "batchSize");

  private final Assets assets;

  Pages(Assets assets) {
    this.assets = assets;
  }

  // Sign-in

  String signIn(String accountId, Optional<Notice> message, String formToken, String next) {
    Html body =
        Html.of(
            """
            <div class="signin">
              <h1>Sign in to Hookwire</h1>
              <p class="muted">Use your account's API credentials.</p>
              {}
              <form method="post" action="{}" class="stack" novalidate>
                <input type="hidden" name="csrf" value="{}">
                <input type="hidden" name="next" value="{}">
                <div class="field">
                  <label for="accountId">Account ID</label>
                  <input id="accountId" name="accountId" value="{}" autocomplete="username"
                         spellcheck="false" autocapitalize="off" required{}>
                </div>
                <div class="field">
                  <label for="apiKey">API Key</label>
                  <input id="apiKey" name="apiKey" type="password" autocomplete="current-password"
                         required>
                </div>
                <button type="submit" class="button primary">Sign in</button>
              </form>
            </div>
            """,
            message.map(Pages::alert).orElse(Html.EMPTY),
            AdminUi.ROOT + "/sign-in",
            formToken,
            next,
            accountId,
            Html.when(accountId.isEmpty(), new Html(" autofocus")));
    return layout("Sign in", Optional.empty(), Optional.empty(), Html.EMPTY, body);
  }

  // Webhooks

  String webhooks(Session s, ListView view, Optional<Notice> notice) {
    boolean filtered = !view.nameFilter().isEmpty() || !view.eventFilter().isEmpty();
    Html content;
    if (view.page().total() == 0 && !filtered) {
      content =
          Html.of(
              """
              <div class="empty">
                <h2>No webhooks yet</h2>
                <p>A webhook sends data to your URL every time an event happens in your account.
                Create one to subscribe to an event.</p>
                <a class="button primary" href="{}">New Webhook</a>
              </div>
              """,
              AdminUi.ROOT + "/webhooks/new");
    } else {
      content =
          Html.of(
              "{}{}{}",
              filterBar(view),
              view.page().items().isEmpty()
                  ? Html.of(
                      """
                      <div class="empty"><p>No webhooks match this filter.</p>
                      <a href="{}">Show all webhooks</a></div>
                      """,
                      AdminUi.ROOT + "/webhooks")
                  : webhookTable(view.page().items()),
              pager(
                  AdminUi.ROOT + "/webhooks",
                  filterQuery(view),
                  view.pageNumber(),
                  view.count(),
                  view.page().total(),
                  "Previous",
                  "Next"));
    }
    Html body =
        Html.of(
            """
            <div class="page-head">
              <div>
                <h1>Webhooks</h1>
                <p class="muted">Send data to your URL every time an event happens.</p>
              </div>
              <a class="button primary" href="{}">New Webhook</a>
            </div>
            {}
            """,
            AdminUi.ROOT + "/webhooks/new",
            content);
    return layout("Webhooks", Optional.of(s), notice, crumbs(), body);
  }

  private Html filterBar(ListView view) {
    return Html.of(
        """
        <form class="filters" method="get" action="{}" role="search">
          <div class="field inline">
            <label for="filter-name">Name</label>
            <input id="filter-name" name="name" type="search" value="{}">
          </div>
          <div class="field inline">
            <label for="filter-event">Event</label>
            <select id="filter-event" name="event">
              <option value="">All events</option>
              {}
            </select>
          </div>
          <button type="submit" class="button">Filter</button>
        </form>
        """,
        AdminUi.ROOT + "/webhooks",
        view.nameFilter(),
        eventOptions(view.eventFilter(), false));
  }

  private static String filterQuery(ListView view) {
    StringBuilder q = new StringBuilder();
    if (!view.nameFilter().isEmpty()) {
      q.append("&name=").append(URLEncoder.encode(view.nameFilter(), StandardCharsets.UTF_8));
    }
    if (!view.eventFilter().isEmpty()) {
      q.append("&event=").append(URLEncoder.encode(view.eventFilter(), StandardCharsets.UTF_8));
    }
    return q.toString();
  }

  private Html webhookTable(List<Listed> items) {
    List<Html> rows = new ArrayList<>();
    for (Listed item : items) {
      Webhook w = item.row().webhook();
      String base = webhookPath(w.id());
      Html status =
          w.enabled()
              ? Html.of("<span class=\"badge on\">Enabled</span>")
              : Html.of(
                  "<span class=\"badge off\">Disabled</span>{}",
                  Html.when(
                      item.held() > 0,
                      Html.of(
                          " <span class=\"badge held\" title=\"Sent when the webhook is enabled"
                              + " again\">{} held</span>",
                          item.held())));
      Html lastRun =
          w.lastExecution()
              .map(
                  at ->
                      Html.of(
                          "<a href=\"{}\" title=\"Open the request log\">{}</a>{}",
                          base + "/log",
                          time(at),
                          Html.when(
                              item.failed() > 0,
                              Html.of(
                                  " <span class=\"badge fail\">{} failed</span>", item.failed()))))
              .orElse(
                  Html.of(
                      "<span class=\"muted\" title=\"Nothing was ever sent to this URL\">"
                          + "Never</span>"));
      rows.add(
          Html.of(
              """
              <tr>
                <td data-label="Name"><a class="strong" href="{}">{}</a></td>
                <td data-label="Description" class="description">{}</td>
                <td data-label="Event"><code title="{}">{}</code></td>
                <td data-label="URL" class="url">{}</td>
                <td data-label="Status" class="nowrap">{}</td>
                <td data-label="Last Run (UTC)" class="nowrap">{}</td>
              </tr>
              """,
              base,
              w.name(),
              w.description(),
              w.event().description(),
              w.event().name(),
              breakable(w.url()),
              status,
              lastRun));
    }
    return Html.of(
        """
        <div class="table-wrap">
        <table class="responsive webhooks">
          <thead><tr>
            <th scope="col">Name</th><th scope="col">Description</th><th scope="col">Event</th>
            <th scope="col">URL</th><th scope="col">Status</th>
            <th scope="col">Last Run <span class="muted">(UTC)</span></th>
          </tr></thead>
          <tbody>{}</tbody>
        </table>
        </div>
        """,
        rows);
  }

  // New and edit

  String newWebhook(Session s, Form form) {
    Html body =
        Html.of(
            """
            <div class="page-head"><div><h1>New Webhook</h1>
            <p class="muted">Every event it subscribes to is sent to its URL with an HTTP POST.</p>
            </div></div>
            <section class="card">
              {}
              <form method="post" action="{}" class="stack" novalidate>
                {}
                {}
                <div class="actions">
                  <button type="submit" class="button primary">Create webhook</button>
                  <a class="button" href="{}">Cancel</a>
                </div>
              </form>
            </section>
            """,
            errorSummary(form),
            AdminUi.ROOT + "/webhooks",
            csrf(s),
            fields(form, true),
            AdminUi.ROOT + "/webhooks");
    return layout(
        "New Webhook",
        Optional.of(s),
        Optional.empty(),
        crumbs(Html.of("<span aria-current=\"page\">New Webhook</span>")),
        body);
  }

  String editWebhook(
      Session s, WebhookRow row, long held, long failed, Form form, Optional<Notice> notice) {
    Webhook w = row.webhook();
    String base = webhookPath(w.id());
    Html heldNote =
        Html.when(
            !w.enabled(),
            Html.of(
                "<div class=\"alert info\">{}</div>",
                held == 0
                    ? "This webhook is disabled. Events for it are held and sent when you enable"
                        + " it again."
                    : held
                        + (held == 1 ? " payload is" : " payloads are")
                        + " held. They are sent, oldest first, when you enable the webhook."));
    Html rotation =
        row.previousSecretUntil()
            .filter(until -> row.previousSecretSealed().isPresent())
            .map(
                until ->
                    Html.of(
                        "<p>The previous Secret keeps signing beside the current one until {}"
                            + " UTC.</p>",
                        time(until)))
            .orElse(Html.EMPTY);
    Html body =
        Html.of(
            """
            <div class="page-head">
              <div>
                <h1>{} {}</h1>
                <p class="muted">
                  <code>{}</code> · created {} UTC · modified {} UTC · last run {}
                </p>
              </div>
              <div class="actions">
                <a class="button" href="{}">Request log</a>
                <form method="post" action="{}" class="inline-form">{}
                  <button type="submit" class="button">{}</button>
                </form>
              </div>
            </div>
            {}
            <section class="card" aria-labelledby="settings-title">
              <h2 id="settings-title">Settings</h2>
              {}
              <form method="post" action="{}" class="stack" novalidate>
                {}
                {}
                <div class="actions">
                  <button type="submit" class="button primary">Save changes</button>
                  <a class="button" href="{}">Cancel</a>
                </div>
              </form>
            </section>
            <section class="card" aria-labelledby="secret-title">
              <h2 id="secret-title">Secret</h2>
              <p>The Secret signs every request so your endpoint can check it came from here. It
              is shown only when the webhook is created or the secret is rotated.</p>
              {}
              <form method="post" action="{}" data-confirm="{}">{}
                <button type="submit" class="button">Rotate secret</button>
              </form>
            </section>
            <section class="card danger-zone" aria-labelledby="delete-title">
              <h2 id="delete-title">Delete</h2>
              <p>Deleting removes the webhook, its request log and anything not yet sent.</p>
              <a class="button danger" href="{}">Delete webhook…</a>
            </section>
            """,
            w.name(),
            statusBadge(w.enabled()),
            w.id(),
            time(w.created()),
            time(w.modified()),
            w.lastExecution()
                .map(at -> Html.of("<a href=\"{}\">{} UTC</a>", base + "/log", time(at)))
                .orElse(Html.of("never")),
            base + "/log",
            base + (w.enabled() ? "/disable" : "/enable"),
            csrf(s),
            w.enabled() ? "Disable" : "Enable",
            Html.of(
                "{}{}",
                heldNote,
                Html.when(
                    failed > 0,
                    Html.of(
                        "<div class=\"alert error\">{} failed to deliver after every retry."
                            + " <a href=\"{}\">Open the request log</a> to resend.</div>",
                        failed == 1 ? "1 payload" : failed + " payloads",
                        base + "/log"))),
            errorSummary(form),
            base,
            csrf(s),
            fields(form, false),
            AdminUi.ROOT + "/webhooks",
            rotation,
            base + "/rotate-secret",
            "Rotate the secret of “"
                + w.name()
                + "”? The current Secret keeps signing beside the new one for a grace period.",
            csrf(s),
            base + "/delete");
    return layout(
        w.name(),
        Optional.of(s),
        notice,
        crumbs(Html.of("<span aria-current=\"page\">{}</span>", w.name())),
        body);
  }

  private Html fields(Form form, boolean creating) {
    boolean advancedInvalid =
        form.errors().containsKey("retrySchedule") || form.errors().containsKey("batchSize");
    return Html.of(
        """
        {}
        {}
        {}
        {}
        {}
        <details class="advanced"{}>
          <summary>Delivery options</summary>
          <div class="stack">
          {}
          {}
          </div>
        </details>
        """,
        field(
            form,
            "name",
            "Name",
            "The webhook name.",
            (id, attrs) ->
                Html.of(
                    "<input id=\"{}\" name=\"name\" value=\"{}\" maxlength=\"255\" required{}>",
                    id,
                    form.value("name"),
                    attrs)),
        field(
            form,
            "description",
            "Description",
            "What this webhook is for. Optional.",
            (id, attrs) ->
                Html.of(
                    "<textarea id=\"{}\" name=\"description\" rows=\"2\" maxlength=\"1000\"{}>{}"
                        + "</textarea>",
                    id,
                    attrs,
                    form.value("description"))),
        field(
            form,
            "event",
            "Event",
            "The event that triggers this webhook.",
            (id, attrs) ->
                Html.of(
                    "<select id=\"{}\" name=\"event\" required{}><option value=\"\">Choose an"
                        + " event…</option>{}</select>",
                    id,
                    attrs,
                    eventOptions(form.value("event"), true))),
        field(
            form,
            "url",
            "URL",
            "Where the data is sent, with an HTTP POST.",
            (id, attrs) ->
                Html.of(
                    "<input id=\"{}\" name=\"url\" type=\"url\" value=\"{}\" inputmode=\"url\""
                        + " spellcheck=\"false\" placeholder=\"https://example.com/hooks/oktopost\""
                        + " required{}>",
                    id,
                    form.value("url"),
                    attrs)),
        Html.when(creating, enabledField(form)),
        Html.when(advancedInvalid, new Html(" open")),
        field(
            form,
            "retrySchedule",
            "Retry schedule",
            "Delays between retries of a failed request, e.g. 5s,25s,125s. Empty: the server's"
                + " schedule.",
            (id, attrs) ->
                Html.of(
                    "<input id=\"{}\" name=\"retrySchedule\" value=\"{}\" spellcheck=\"false\"{}>",
                    id,
                    form.value("retrySchedule"),
                    attrs)),
        field(
            form,
            "batchSize",
            "Batch size",
            "Events per request, 1 to 100. Above 1, the body is a JSON array of envelopes.",
            (id, attrs) ->
                Html.of(
                    "<input id=\"{}\" name=\"batchSize\" type=\"number\" min=\"1\" max=\"100\""
                        + " value=\"{}\"{}>",
                    id,
                    form.value("batchSize").isEmpty() ? "1" : form.value("batchSize"),
                    attrs)));
  }

  private Html enabledField(Form form) {
    String error = form.errors().get("isEnabled");
    return Html.of(
        """
        <div class="field check{}">
          <input id="f-isEnabled" name="isEnabled" type="checkbox" value="1"{}{}>
          <label for="f-isEnabled">Enabled</label>
          <p class="hint" id="f-isEnabled-hint">While disabled, events are held and sent when
          the webhook is enabled again.</p>
          {}
        </div>
        """,
        error == null ? "" : " invalid",
        Html.when(!"0".equals(form.value("isEnabled")), new Html(" checked")),
        error == null
            ? new Html(" aria-describedby=\"f-isEnabled-hint\"")
            : new Html(
                " aria-invalid=\"true\" aria-describedby=\"f-isEnabled-error f-isEnabled-hint\""),
        error == null
            ? Html.EMPTY
            : Html.of("<p class=\"field-error\" id=\"f-isEnabled-error\">{}</p>", error));
  }

  private interface Control {
    Html render(String id, Html describedBy);
  }

  /**
   * A labelled control with its hint and, when the API refused the value, its message: tied to the
   * control with aria-describedby so a screen reader reads it with the field.
   */
  private static Html field(Form form, String name, String label, String hint, Control control) {
    String id = "f-" + name;
    String error = form.errors().get(name);
    Html attrs =
        error == null
            ? Html.of(" aria-describedby=\"{}\"", id + "-hint")
            : Html.of(
                " aria-invalid=\"true\" aria-describedby=\"{} {}\"", id + "-error", id + "-hint");
    return Html.of(
        """
        <div class="field{}">
          <label for="{}">{}</label>
          {}
          {}
          <p class="hint" id="{}">{}</p>
        </div>
        """,
        error == null ? "" : " invalid",
        id,
        label,
        error == null
            ? Html.EMPTY
            : Html.of("<p class=\"field-error\" id=\"{}\">{}</p>", id + "-error", error),
        control.render(id, attrs),
        id + "-hint",
        hint);
  }

  private static Html errorSummary(Form form) {
    if (form.errors().isEmpty()) {
      return Html.EMPTY;
    }
    // General errors first, then the fields in the order the form shows them.
    List<Html> items = new ArrayList<>();
    form.errors().entrySet().stream()
        .filter(e -> !FORM_FIELDS.contains(e.getKey()))
        .forEach(e -> items.add(Html.of("<li>{}</li>", e.getValue())));
    FORM_FIELDS.stream()
        .filter(form.errors()::containsKey)
        .forEach(
            field ->
                items.add(
                    Html.of("<li><a href=\"#f-{}\">{}</a></li>", field, form.errors().get(field))));
    return Html.of(
        """
        <div class="alert error" role="alert" tabindex="-1" id="error-summary">
          <p><strong>The webhook was not saved.</strong></p>
          <ul>{}</ul>
        </div>
        """,
        items);
  }

  /** The 19 events in the reference's groups, each with its description. */
  private static Html eventOptions(String selected, boolean withDescriptions) {
    Map<String, List<EventType>> groups = new LinkedHashMap<>();
    Arrays.stream(EventType.values())
        .forEach(e -> groups.computeIfAbsent(e.group(), g -> new ArrayList<>()).add(e));
    List<Html> out = new ArrayList<>();
    groups.forEach(
        (group, events) ->
            out.add(
                Html.of(
                    "<optgroup label=\"{} Events\">{}</optgroup>",
                    group,
                    events.stream()
                        .map(
                            e ->
                                Html.of(
                                    "<option value=\"{}\"{}>{}</option>",
                                    e.name(),
                                    Html.when(e.name().equals(selected), new Html(" selected")),
                                    withDescriptions
                                        ? e.name() + " — " + descriptionAfterTriggers(e)
                                        : e.name()))
                        .toList())));
    return Html.join(out);
  }

  /** "Triggers when a new lead is captured" reads as "A new lead is captured" in a list. */
  private static String descriptionAfterTriggers(EventType e) {
    String d = e.description();
    String prefix = "Triggers when ";
    if (d.startsWith(prefix)) {
      String rest = d.substring(prefix.length());
      return rest.substring(0, 1).toUpperCase(Locale.ROOT) + rest.substring(1);
    }
    return d;
  }

  // Secret

  String secret(Session s, WebhookRow row, Optional<OneTimeSecret> secret) {
    Webhook w = row.webhook();
    String base = webhookPath(w.id());
    Html body;
    if (secret.isEmpty()) {
      body =
          Html.of(
              """
              <div class="page-head"><div><h1>Secret of {}</h1></div></div>
              <section class="card">
                <p>The Secret is shown only once, right after the webhook is created or its
                secret is rotated. To get a new one, rotate the secret.</p>
                <a class="button" href="{}">Back to the webhook</a>
              </section>
              """,
              w.name(),
              base);
    } else {
      String clear = secret.get().secret();
      body =
          Html.of(
              """
              <div class="page-head"><div><h1>{}</h1>
              <p class="muted">{}</p></div></div>
              <section class="card">
                <div class="alert success" role="status">
                  Copy the Secret now: it is not shown again.
                </div>
                <div class="field">
                  <label for="secret-value">Secret</label>
                  <div class="copy-row">
                    <input id="secret-value" class="mono" value="{}" readonly spellcheck="false">
                    <button type="button" class="button" data-copy="secret-value" hidden>Copy</button>
                  </div>
                </div>
                {}
                <h2>How to verify signatures</h2>
                <p>Every request carries the webhook id in <code>X-Oktopost-Webhook</code>, the
                payload ids in <code>X-Oktopost-Payload</code>, and three signatures of the raw
                body. Check any one of them, computed over the body exactly as received; the Standard
                Webhooks one also protects against replays:</p>
                <ul class="spaced">
                  <li><code>X-Oktopost-Secret</code>: hex HMAC-SHA1 of the raw body, keyed with
                  the Secret (Oktopost's help article).</li>
                  <li><code>X-Oktopost-Signature</code>: hex HMAC-SHA256 of the raw body, keyed
                  with the Secret.</li>
                  <li>Standard Webhooks (<code>webhook-id</code>, <code>webhook-timestamp</code>,
                  <code>webhook-signature</code>): give any Standard Webhooks library the key
                  <code>whsec_</code> + base64 of the Secret:
                    <div class="copy-row">
                      <input id="whsec-value" class="mono" value="{}" readonly
                             aria-label="Standard Webhooks key" spellcheck="false">
                      <button type="button" class="button" data-copy="whsec-value" hidden>Copy</button>
                    </div>
                  </li>
                </ul>
                <p class="muted">Compare signatures in constant time, and drop repeats by
                payload id: a request may arrive more than once.</p>
                <div class="actions">
                  <a class="button primary" href="{}">Back to Webhooks</a>
                  <a class="button" href="{}">Open the webhook</a>
                </div>
              </section>
              """,
              secret.get().rotated() ? "Secret rotated" : "Webhook created",
              w.name(),
              clear,
              secret.get().rotated()
                  ? row.previousSecretUntil()
                      .map(
                          until ->
                              Html.of(
                                  "<p>The previous Secret keeps signing beside this one until {}"
                                      + " UTC: update your endpoint before then.</p>",
                                  time(until)))
                      .orElse(Html.EMPTY)
                  : Html.EMPTY,
              Signer.standardWebhooksKey(clear),
              AdminUi.ROOT + "/webhooks",
              base);
    }
    return layout(
        "Secret of " + w.name(),
        Optional.of(s),
        Optional.empty(),
        crumbs(
            Html.of("<a href=\"{}\">{}</a>", base, w.name()),
            Html.of("<span aria-current=\"page\">Secret</span>")),
        body);
  }

  // Delete

  String confirmDelete(Session s, Webhook w, long held, long failed) {
    String base = webhookPath(w.id());
    long unsent = held + failed;
    Html body =
        Html.of(
            """
            <section class="card narrow">
              <h1>Delete “{}”?</h1>
              <p>This deletes the webhook and its request log{}. Its URL receives nothing more.
              This cannot be undone.</p>
              <form method="post" action="{}" class="actions">{}
                <button type="submit" class="button danger">Delete webhook</button>
                <a class="button" href="{}">Cancel</a>
              </form>
            </section>
            """,
            w.name(),
            unsent == 0
                ? ""
                : ", with " + unsent + (unsent == 1 ? " payload" : " payloads") + " not yet sent",
            base + "/delete",
            csrf(s),
            base);
    return layout(
        "Delete " + w.name(),
        Optional.of(s),
        Optional.empty(),
        crumbs(
            Html.of("<a href=\"{}\">{}</a>", base, w.name()),
            Html.of("<span aria-current=\"page\">Delete</span>")),
        body);
  }

  // Request log

  String log(
      Session s,
      Webhook w,
      Page<LogEntry> entries,
      int pageNumber,
      int count,
      long failed,
      Optional<Notice> notice) {
    String base = webhookPath(w.id());
    Html resend =
        Html.when(
            failed > 0,
            Html.of(
                """
                <form method="post" action="{}" data-confirm="{}">{}
                  <button type="submit" class="button">Resend failed ({})</button>
                </form>
                """,
                base + "/resend",
                "Send the " + failed + " failed payloads again?",
                csrf(s),
                failed));
    Html content;
    if (entries.total() == 0) {
      content =
          Html.of(
              """
              <div class="empty"><h2>No requests yet</h2>
              <p>Nothing was ever sent to this webhook's URL.</p></div>
              """);
    } else {
      List<Html> rows = entries.items().stream().map(this::logRow).toList();
      content =
          Html.of(
              """
              <div class="table-wrap">
              <table class="responsive log">
                <thead><tr>
                  <th scope="col">Created <span class="muted">(UTC)</span></th>
                  <th scope="col">Response Code</th><th scope="col">Execution Time</th>
                  <th scope="col">Attempt</th><th scope="col">Payload</th>
                  <th scope="col">Response</th>
                </tr></thead>
                <tbody>{}</tbody>
              </table>
              </div>
              {}
              """,
              rows,
              pager(base + "/log", "", pageNumber, count, entries.total(), "Newer", "Older"));
    }
    Html body =
        Html.of(
            """
            <div class="page-head">
              <div>
                <h1>Request log</h1>
                <p class="muted"><a href="{}">{}</a> · <code>{}</code> · <span class="url">{}</span></p>
              </div>
              <div class="actions">{}</div>
            </div>
            <p class="muted">{}</p>
            {}
            """,
            base,
            w.name(),
            w.event().name(),
            w.url(),
            resend,
            entries.total() == 1 ? "1 request" : entries.total() + " requests, newest first",
            content);
    return layout(
        "Request log of " + w.name(),
        Optional.of(s),
        notice,
        crumbs(
            Html.of("<a href=\"{}\">{}</a>", base, w.name()),
            Html.of("<span aria-current=\"page\">Request log</span>")),
        body);
  }

  private Html logRow(LogEntry e) {
    boolean ok = e.responseCode() >= 200 && e.responseCode() < 300;
    Html code =
        e.responseCode() == 0
            ? Html.of("<span class=\"badge fail\">No response</span>")
            : Html.of("<span class=\"badge {}\">{}</span>", ok ? "on" : "fail", e.responseCode());
    Html response =
        Html.of(
            "{}{}",
            e.error() == null || e.error().isEmpty()
                ? Html.EMPTY
                : Html.of("<p class=\"failure\">{}</p>", e.error()),
            e.responseBody() == null || e.responseBody().isEmpty()
                ? Html.EMPTY
                : Html.of("<pre class=\"snippet\" tabindex=\"0\">{}</pre>", e.responseBody()));
    if (response.markup().isEmpty()) {
      response = Html.of("<span class=\"muted\">Empty</span>");
    }
    return Html.of(
        """
        <tr>
          <td data-label="Created (UTC)" class="nowrap">{}</td>
          <td data-label="Response Code">{}</td>
          <td data-label="Execution Time" class="nowrap"><span title="{} s">{}</span></td>
          <td data-label="Attempt">{}</td>
          <td data-label="Payload" class="payload">
            <div class="muted small">Payload <code>{}</code></div>
            <pre tabindex="0">{}</pre>
          </td>
          <td data-label="Response" class="response">{}</td>
        </tr>
        """,
        time(e.created()),
        code,
        BigDecimal.valueOf(e.executionMicros(), 6).toPlainString(),
        duration(e.executionMicros()),
        e.attempt(),
        e.payloadId(),
        pretty(Envelope.of(e.event(), e.eventCreated(), e.webhookId(), e.data())),
        response);
  }

  // Errors

  String error(Optional<Session> s, int status, String message) {
    String title = status == 404 ? "Not found" : status == 403 ? "Refused" : "Something is wrong";
    Html body =
        Html.of(
            """
            <section class="card narrow">
              <h1>{}</h1>
              <p>{}</p>
              <a class="button" href="{}">Back to Webhooks</a>
            </section>
            """,
            title,
            message,
            AdminUi.ROOT + "/webhooks");
    return layout(title, s, Optional.empty(), Html.EMPTY, body);
  }

  // Shared parts

  private String layout(
      String title, Optional<Session> s, Optional<Notice> notice, Html crumbs, Html main) {
    Html account =
        s.map(
                session ->
                    Html.of(
                        """
                        <div class="account">
                          <span class="who"><span class="strong">{}</span>
                          <span class="muted mono small">{}</span></span>
                          <form method="post" action="{}" class="inline-form">{}
                            <button type="submit" class="button subtle">Sign out</button>
                          </form>
                        </div>
                        """,
                        session.account.name(),
                        session.accountId(),
                        AdminUi.ROOT + "/sign-out",
                        csrf(session)))
            .orElse(Html.EMPTY);
    Html flash = notice.map(Pages::alert).orElse(Html.EMPTY);
    return Html.of(
            """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{} · Hookwire</title>
            <link rel="icon" href="{}" type="image/svg+xml">
            <link rel="stylesheet" href="{}">
            <script src="{}" defer></script>
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="topbar">
              <div class="wrap">
                <a class="brand" href="{}"><img src="{}" alt="" width="22" height="22">Hookwire</a>
                {}
              </div>
            </header>
            <main id="main" class="wrap" tabindex="-1">
            {}
            {}
            {}
            </main>
            <footer class="wrap muted small">Hookwire {} · times in UTC · API at <code>/v2</code></footer>
            </body>
            </html>
            """,
            title,
            assets.url("icon.svg"),
            assets.url("app.css"),
            assets.url("app.js"),
            AdminUi.ROOT + "/webhooks",
            assets.url("icon.svg"),
            account,
            crumbs,
            flash,
            main,
            Hookwire.VERSION)
        .markup();
  }

  /** "Account Settings › Webhooks", then the steps below it. */
  private static Html crumbs(Html... below) {
    List<Html> items = new ArrayList<>();
    items.add(Html.of("<li>Account Settings</li>"));
    items.add(
        below.length == 0
            ? Html.of("<li><span aria-current=\"page\">Webhooks</span></li>")
            : Html.of("<li><a href=\"{}\">Webhooks</a></li>", AdminUi.ROOT + "/webhooks"));
    for (Html step : below) {
      items.add(Html.of("<li>{}</li>", step));
    }
    return Html.of("<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><ol>{}</ol></nav>", items);
  }

  private static Html pager(
      String path, String query, int page, int count, long total, String back, String forward) {
    long pages = Math.max(1, (total + count - 1) / count);
    if (pages <= 1) {
      return Html.EMPTY;
    }
    Html previous =
        page > 0
            ? Html.of(
                "<a class=\"button\" rel=\"prev\" href=\"{}\">← {}</a>",
                path + "?_page=" + (page - 1) + query,
                back)
            : Html.of("<span class=\"button disabled\" aria-disabled=\"true\">← {}</span>", back);
    Html next =
        page + 1 < pages
            ? Html.of(
                "<a class=\"button\" rel=\"next\" href=\"{}\">{} →</a>",
                path + "?_page=" + (page + 1) + query,
                forward)
            : Html.of(
                "<span class=\"button disabled\" aria-disabled=\"true\">{} →</span>", forward);
    return Html.of(
        "<nav class=\"pager\" aria-label=\"Pages\">{}<span>Page {} of {}</span>{}</nav>",
        previous,
        page + 1,
        pages,
        next);
  }

  private static Html alert(Notice n) {
    return Html.of(
        "<div class=\"alert {}\" role=\"{}\">{}</div>",
        n.error() ? "error" : "success",
        n.error() ? "alert" : "status",
        n.text());
  }

  private static Html statusBadge(boolean enabled) {
    return enabled
        ? Html.of("<span class=\"badge on\">Enabled</span>")
        : Html.of("<span class=\"badge off\">Disabled</span>");
  }

  private static Html csrf(Session s) {
    return Html.of("<input type=\"hidden\" name=\"csrf\" value=\"{}\">", s.csrfToken);
  }

  private static Html time(Instant at) {
    return Html.of(
        "<time datetime=\"{}\">{}</time>",
        ISO.format(at.truncatedTo(ChronoUnit.SECONDS)),
        Clocks.format(at));
  }

  /** A URL that wraps after its slashes, rather than anywhere, when its column is narrow. */
  static Html breakable(String url) {
    List<Html> parts = new ArrayList<>();
    int from = 0;
    for (int slash = url.indexOf('/'); slash >= 0; slash = url.indexOf('/', slash + 1)) {
      parts.add(Html.of("{}<wbr>", url.substring(from, slash + 1)));
      from = slash + 1;
    }
    parts.add(Html.of("{}", url.substring(from)));
    return Html.join(parts);
  }

  static String webhookPath(String id) {
    return AdminUi.ROOT + "/webhooks/" + id;
  }

  /** Microseconds as people read them: 0.4 ms, 35 ms, 1.25 s. */
  static String duration(long micros) {
    if (micros < 10_000) {
      return String.format(Locale.ROOT, "%.1f ms", micros / 1_000.0);
    }
    if (micros < 1_000_000) {
      return Math.round(micros / 1_000.0) + " ms";
    }
    return String.format(Locale.ROOT, "%.2f s", micros / 1_000_000.0);
  }

  /**
   * Indents JSON token by token, copying numbers as written: a payload is shown as it was sent, not
   * as a parse and print would round it.
   */
  static String pretty(String json) {
    JsonFactory factory = Json.MAPPER.getFactory();
    StringWriter out = new StringWriter(json.length() * 2);
    try (JsonParser parser = factory.createParser(json);
        JsonGenerator generator = factory.createGenerator(out)) {
      generator.setPrettyPrinter(PRETTY.createInstance());
      while (parser.nextToken() != null) {
        generator.copyCurrentEventExact(parser);
      }
    } catch (IOException e) {
      return json;
    }
    return out.toString();
  }
}
