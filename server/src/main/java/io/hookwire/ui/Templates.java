package io.hookwire.ui;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import gg.jte.html.HtmlTemplateOutput;
import gg.jte.html.OwaspHtmlTemplateOutput;
import gg.jte.output.StringOutput;
import io.hookwire.core.EventType;
import io.hookwire.core.Json;
import io.hookwire.core.LogEntry;
import io.hookwire.core.Page;
import io.hookwire.core.Webhook;
import io.hookwire.core.WebhookRow;
import io.hookwire.service.AdminSessions.Notice;
import io.hookwire.service.AdminSessions.OneTimeSecret;
import io.hookwire.service.AdminSessions.Session;
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
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The admin pages as HTML, from the jte templates in {@code src/main/jte}. Each page is one method
 * here calling its compiled template with typed parameters, so a page given the wrong values does
 * not compile; the templates escape every value for where it lands, text or attribute. The static
 * helpers below are what the templates call.
 */
final class Templates {
  /** A webhook in the table, with what its Status column says beyond enabled or not. */
  record Listed(WebhookRow row, long held, long failed) {}

  /** What the webhook list shows: a page of it, and the filter that chose it. */
  record ListView(
      Page<Listed> page, int pageNumber, int count, String nameFilter, String eventFilter) {
    boolean filtered() {
      return !nameFilter.isEmpty() || !eventFilter.isEmpty();
    }

    Pager pager() {
      StringBuilder query = new StringBuilder();
      if (!nameFilter.isEmpty()) {
        query.append("&name=").append(URLEncoder.encode(nameFilter, StandardCharsets.UTF_8));
      }
      if (!eventFilter.isEmpty()) {
        query.append("&event=").append(URLEncoder.encode(eventFilter, StandardCharsets.UTF_8));
      }
      return new Pager(
          AdminUi.ROOT + "/webhooks",
          query.toString(),
          pageNumber,
          count,
          page.total(),
          "Previous",
          "Next");
    }
  }

  /** A form as typed, with the API's messages for what is wrong with it. */
  record Form(Map<String, String> values, Map<String, String> errors) {
    /** The fields the webhook form has, so errors on anything else are shown above it. */
    private static final List<String> FIELDS =
        List.of("name", "description", "event", "url", "isEnabled", "retrySchedule", "batchSize");

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

    /** The message for a refused field, or null when it was accepted. */
    String error(String field) {
      return errors.get(field);
    }

    /** {@code aria-invalid}'s value: "true" on a refused field, else none (no attribute). */
    String ariaInvalid(String field) {
      return errors.containsKey(field) ? "true" : null;
    }

    /** A control's {@code aria-describedby}: its message when refused, then its hint. */
    String describedBy(String field) {
      String id = "f-" + field;
      return errors.containsKey(field) ? id + "-error " + id + "-hint" : id + "-hint";
    }

    /** Everything refused: general errors first, then the fields in the order the form shows. */
    List<Problem> problems() {
      Stream<Problem> general =
          errors.entrySet().stream()
              .filter(e -> !FIELDS.contains(e.getKey()))
              .map(e -> new Problem(null, e.getValue()));
      Stream<Problem> fields =
          FIELDS.stream().filter(errors::containsKey).map(f -> new Problem(f, errors.get(f)));
      return Stream.concat(general, fields).toList();
    }
  }

  /** A refused value: its field (null when about the whole form) and the message. */
  record Problem(String field, String message) {}

  /** A step of the breadcrumb trail; the page itself has no link. */
  record Crumb(String label, String href) {}

  /** Previous and next links over a paged list; {@code query} is appended to each link. */
  record Pager(
      String path, String query, int page, int count, long total, String back, String forward) {
    long pages() {
      return Math.max(1, (total + count - 1) / count);
    }

    boolean hasPrevious() {
      return page > 0;
    }

    boolean hasNext() {
      return page + 1 < pages();
    }

    String href(int to) {
      return path + "?_page=" + to + query;
    }
  }

  /** Pretty JSON with {@code "key": value}, as people write it, rather than Jackson's spacing. */
  private static final DefaultPrettyPrinter PRETTY =
      new DefaultPrettyPrinter()
          .withSeparators(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER));

  private static final Map<String, List<EventType>> EVENT_GROUPS = groupEvents();

  private final Assets assets;

  Templates(Assets assets) {
    this.assets = assets;
  }

  String signIn(String accountId, Optional<Notice> message, String formToken, String next) {
    return render(
        out -> JtesignInGenerated.render(out, null, assets, accountId, message, formToken, next));
  }

  String webhooks(Session s, ListView view, Optional<Notice> notice) {
    return render(out -> JtewebhooksGenerated.render(out, null, assets, s, view, notice));
  }

  String newWebhook(Session s, Form form) {
    return render(out -> JtenewWebhookGenerated.render(out, null, assets, s, form));
  }

  String editWebhook(
      Session s, WebhookRow row, long held, long failed, Form form, Optional<Notice> notice) {
    return render(
        out ->
            JteeditWebhookGenerated.render(out, null, assets, s, row, held, failed, form, notice));
  }

  String secret(Session s, WebhookRow row, Optional<OneTimeSecret> secret) {
    return render(out -> JtesecretGenerated.render(out, null, assets, s, row, secret));
  }

  String confirmDelete(Session s, Webhook w, long held, long failed) {
    return render(out -> JteconfirmDeleteGenerated.render(out, null, assets, s, w, held + failed));
  }

  String log(
      Session s,
      Webhook w,
      Page<LogEntry> entries,
      int pageNumber,
      int count,
      long failed,
      Optional<Notice> notice) {
    Pager pager =
        new Pager(
            webhookPath(w.id()) + "/log", "", pageNumber, count, entries.total(), "Newer", "Older");
    return render(
        out -> JtelogGenerated.render(out, null, assets, s, w, entries, pager, failed, notice));
  }

  String error(Optional<Session> s, int status, String message) {
    String title = status == 404 ? "Not found" : status == 403 ? "Refused" : "Something is wrong";
    return render(out -> JteerrorGenerated.render(out, null, assets, s, title, message));
  }

  private static String render(Consumer<HtmlTemplateOutput> page) {
    StringOutput out = new StringOutput(8192);
    page.accept(new OwaspHtmlTemplateOutput(out));
    return out.toString();
  }

  // What the templates call

  /** The trail below "Account Settings": Webhooks, as the page itself when nothing is below it. */
  static List<Crumb> trail(Crumb... below) {
    List<Crumb> trail = new ArrayList<>();
    trail.add(new Crumb("Webhooks", below.length == 0 ? null : AdminUi.ROOT + "/webhooks"));
    trail.addAll(Arrays.asList(below));
    return trail;
  }

  static Crumb here(String label) {
    return new Crumb(label, null);
  }

  static Crumb link(String label, String href) {
    return new Crumb(label, href);
  }

  static String webhookPath(String id) {
    return AdminUi.ROOT + "/webhooks/" + id;
  }

  /** "1 payload", "3 payloads". */
  static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  static String isoSeconds(Instant at) {
    return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.SECONDS));
  }

  /** A URL cut after each slash, so it can wrap there: "https:/", "/", "example.com/", "x". */
  static List<String> afterSlashes(String url) {
    List<String> parts = new ArrayList<>();
    int from = 0;
    for (int slash = url.indexOf('/'); slash >= 0; slash = url.indexOf('/', slash + 1)) {
      parts.add(url.substring(from, slash + 1));
      from = slash + 1;
    }
    if (from < url.length()) {
      parts.add(url.substring(from));
    }
    return parts;
  }

  /** The 19 events in the reference's groups. */
  static Map<String, List<EventType>> eventGroups() {
    return EVENT_GROUPS;
  }

  private static Map<String, List<EventType>> groupEvents() {
    Map<String, List<EventType>> groups = new LinkedHashMap<>();
    Arrays.stream(EventType.values())
        .forEach(e -> groups.computeIfAbsent(e.group(), g -> new ArrayList<>()).add(e));
    return groups;
  }

  /** "Triggers when a new lead is captured" reads as "A new lead is captured" in a list. */
  static String descriptionAfterTriggers(EventType e) {
    String d = e.description();
    String prefix = "Triggers when ";
    if (d.startsWith(prefix)) {
      String rest = d.substring(prefix.length());
      return rest.substring(0, 1).toUpperCase(Locale.ROOT) + rest.substring(1);
    }
    return d;
  }

  /** Microseconds as seconds, exactly: 0.001234. */
  static String seconds(long micros) {
    return BigDecimal.valueOf(micros, 6).toPlainString();
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
