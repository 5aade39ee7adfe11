package io.hookwire.ui;

import io.hookwire.core.LogEntry;
import io.hookwire.core.Page;
import io.hookwire.core.Webhook;
import io.hookwire.core.WebhookRow;
import io.hookwire.service.AdminSessions;
import io.hookwire.service.AdminSessions.Notice;
import io.hookwire.service.AdminSessions.OneTimeSecret;
import io.hookwire.service.AdminSessions.Session;
import io.hookwire.service.Auth;
import io.hookwire.service.Input;
import io.hookwire.service.ListWebhooks;
import io.hookwire.service.NotFoundException;
import io.hookwire.service.PageRequest;
import io.hookwire.service.ValidationException;
import io.hookwire.service.WebhookFields;
import io.hookwire.service.Webhooks;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin pages under {@code /ui}: sign in with the API credentials, then Account Settings →
 * Webhooks as the help article describes it. Every change goes through {@link Webhooks}, the same
 * validated operations the REST API uses, so the pages accept and refuse exactly what the API does
 * and say so in its words.
 */
public final class AdminUi {
  private static final Logger log = LoggerFactory.getLogger(AdminUi.class);

  static final String ROOT = "/ui";

  static final String SESSION_COOKIE = "hookwire_session";

  /** Double-submit token of the sign-in form, which has no session to hold a token yet. */
  static final String SIGN_IN_COOKIE = "hookwire_sign_in";

  /** One of the API's {@code _count} options; the webhook table rarely needs a second page. */
  private static final int WEBHOOKS_PER_PAGE = 50;

  private static final int LOG_PER_PAGE = 20;

  /** Where a sign-in may return to: a page of ours, never another site. */
  private static final Pattern NEXT = Pattern.compile("/ui/[A-Za-z0-9/_-]*(\\?[A-Za-z0-9_=&-]*)?");

  /** Pages and forms only talk to this origin; nothing is inline, so injected markup cannot run. */
  private static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final Auth auth;
  private final Webhooks webhooks;
  private final AdminSessions sessions;
  private final SignInTokens signInTokens;
  private final Assets assets;
  private final Templates templates;

  /**
   * @param formKey the key of the sign-in form's tokens, the same on every node (derived from the
   *     master key)
   */
  public AdminUi(
      Auth auth, AdminSessions sessions, Webhooks webhooks, byte[] formKey, Clock clock) {
    this.auth = auth;
    this.webhooks = webhooks;
    this.sessions = sessions;
    this.signInTokens = new SignInTokens(formKey, clock);
    this.assets = new Assets();
    this.templates = new Templates(assets);
  }

  public void register(JavalinConfig cfg) {
    var r = cfg.routes;
    r.get("/", ctx -> ctx.redirect(ROOT, HttpStatus.FOUND));
    r.get(ROOT, ctx -> ctx.redirect(ROOT + "/webhooks", HttpStatus.FOUND));
    r.get(ROOT + "/", ctx -> ctx.redirect(ROOT + "/webhooks", HttpStatus.FOUND));
    r.get(
        ROOT + "/assets/{name}",
        ctx -> {
          if (!assets.serve(ctx, ctx.pathParam("name"))) {
            ctx.status(404).result("no such asset");
          }
        });

    r.get(ROOT + "/sign-in", this::signInPage);
    r.post(ROOT + "/sign-in", this::signIn);
    r.post(ROOT + "/sign-out", action(this::signOut));

    r.get(ROOT + "/webhooks", page(this::list));
    r.get(
        ROOT + "/webhooks/new",
        page((ctx, s) -> ctx.html(templates.newWebhook(s, Templates.Form.empty()))));
    r.post(ROOT + "/webhooks", action(this::create));
    r.get(ROOT + "/webhooks/{id}", page(this::edit));
    r.post(ROOT + "/webhooks/{id}", action(this::update));
    r.post(ROOT + "/webhooks/{id}/enable", action((ctx, s) -> setEnabled(ctx, s, true)));
    r.post(ROOT + "/webhooks/{id}/disable", action((ctx, s) -> setEnabled(ctx, s, false)));
    r.get(ROOT + "/webhooks/{id}/secret", page(this::secret));
    r.post(ROOT + "/webhooks/{id}/rotate-secret", action(this::rotate));
    r.get(ROOT + "/webhooks/{id}/delete", page(this::confirmDelete));
    r.post(ROOT + "/webhooks/{id}/delete", action(this::delete));
    r.get(ROOT + "/webhooks/{id}/log", page(this::log));
    r.post(ROOT + "/webhooks/{id}/resend", action(this::resend));

    r.get(
        ROOT + "/*",
        ctx -> {
          securityHeaders(ctx);
          ctx.status(404)
              .html(templates.error(session(ctx), 404, "There is no page at this address."));
        });
  }

  // Sign-in and sign-out

  private void signInPage(Context ctx) {
    securityHeaders(ctx);
    if (session(ctx).isPresent()) {
      seeOther(ctx, ROOT + "/webhooks");
      return;
    }
    String token = signInTokens.issue();
    setCookie(ctx, SIGN_IN_COOKIE, token, ROOT + "/sign-in", false);
    Optional<Notice> message =
        ctx.queryParam("signed-out") != null
            ? Optional.of(new Notice(false, "You are signed out."))
            : Optional.empty();
    ctx.html(templates.signIn("", message, token, next(ctx.queryParam("next"))));
  }

  private void signIn(Context ctx) {
    securityHeaders(ctx);
    String cookie = ctx.cookie(SIGN_IN_COOKIE);
    String token = formParam(ctx, "csrf");
    if (!signInTokens.accepts(cookie, token)) {
      refuse(
          ctx,
          Optional.empty(),
          403,
          "The sign-in form was out of date or did not come from this site. Open the sign-in"
              + " page again.");
      return;
    }
    String accountId = Optional.ofNullable(formParam(ctx, "accountId")).orElse("").strip();
    String apiKey = Optional.ofNullable(formParam(ctx, "apiKey")).orElse("").strip();
    String next = next(formParam(ctx, "next"));
    Auth.Verdict verdict =
        accountId.isEmpty() || apiKey.isEmpty()
            ? new Auth.Verdict.Refused()
            : auth.check(accountId, apiKey, ctx.ip());
    if (!(verdict instanceof Auth.Verdict.Accepted accepted)) {
      String fresh = signInTokens.issue();
      setCookie(ctx, SIGN_IN_COOKIE, fresh, ROOT + "/sign-in", false);
      String message =
          switch (verdict) {
            case Auth.Verdict.Throttled t -> {
              ctx.status(429).header("Retry-After", Long.toString(t.retryAfterSeconds()));
              yield "Too many failed sign-ins from here or for this account. Try again in "
                  + t.retryAfterSeconds()
                  + (t.retryAfterSeconds() == 1 ? " second." : " seconds.");
            }
            default -> {
              ctx.status(401);
              yield accountId.isEmpty() || apiKey.isEmpty()
                  ? "Enter your Account ID and API Key."
                  : "That Account ID and API Key do not match an account.";
            }
          };
      ctx.html(templates.signIn(accountId, Optional.of(new Notice(true, message)), fresh, next));
      return;
    }
    setCookie(ctx, SESSION_COOKIE, sessions.start(accepted.account(), apiKey), ROOT, false);
    setCookie(ctx, SIGN_IN_COOKIE, "", ROOT + "/sign-in", true);
    seeOther(ctx, next);
  }

  private void signOut(Context ctx, Session s) {
    sessions.end(s);
    setCookie(ctx, SESSION_COOKIE, "", ROOT, true);
    seeOther(ctx, ROOT + "/sign-in?signed-out");
  }

  // Webhooks

  private void list(Context ctx, Session s) {
    String name = Optional.ofNullable(ctx.queryParam("name")).orElse("").strip();
    String event = Optional.ofNullable(ctx.queryParam("event")).orElse("").strip();
    int pageNumber = pageNumber(ctx);
    Page<WebhookRow> found =
        webhooks.list(
            s.accountId(),
            new ListWebhooks(
                event.isEmpty() ? Input.absent() : Input.of(event),
                name.isEmpty() ? Input.absent() : Input.of(name),
                Input.absent(),
                PageRequest.of(pageNumber, WEBHOOKS_PER_PAGE)));
    List<Templates.Listed> listed =
        found.items().stream()
            .map(
                row -> {
                  Webhook w = row.webhook();
                  long held = w.enabled() ? 0 : webhooks.held(s.accountId(), w.id());
                  long failed =
                      w.lastExecution().isPresent() ? webhooks.failed(s.accountId(), w.id()) : 0;
                  return new Templates.Listed(row, held, failed);
                })
            .toList();
    ctx.html(
        templates.webhooks(
            s,
            new Templates.ListView(
                new Page<>(listed, found.total()), pageNumber, WEBHOOKS_PER_PAGE, name, event),
            sessions.takeNotice(s)));
  }

  private void create(Context ctx, Session s) {
    Map<String, String> values = formValues(ctx, true);
    try {
      Webhooks.WithSecret created = webhooks.create(s.accountId(), fields(values));
      sessions.secret(s, new OneTimeSecret(created.row().webhook().id(), created.secret(), false));
      seeOther(ctx, Templates.webhookPath(created.row().webhook().id()) + "/secret");
    } catch (ValidationException e) {
      ctx.status(400).html(templates.newWebhook(s, new Templates.Form(values, e.errors())));
    }
  }

  private void edit(Context ctx, Session s) {
    WebhookRow row = webhooks.get(s.accountId(), ctx.pathParam("id"));
    renderEdit(ctx, s, row, Templates.Form.of(row.webhook()), sessions.takeNotice(s));
  }

  private void update(Context ctx, Session s) {
    String id = ctx.pathParam("id");
    WebhookRow current = webhooks.get(s.accountId(), id);
    Map<String, String> values = formValues(ctx, false);
    try {
      WebhookRow updated = webhooks.update(s.accountId(), id, fields(values));
      sessions.notice(s, new Notice(false, "Saved “" + updated.webhook().name() + "”."));
      seeOther(ctx, ROOT + "/webhooks");
    } catch (ValidationException e) {
      ctx.status(400);
      renderEdit(ctx, s, current, new Templates.Form(values, e.errors()), Optional.empty());
    }
  }

  private void renderEdit(
      Context ctx, Session s, WebhookRow row, Templates.Form form, Optional<Notice> notice) {
    String id = row.webhook().id();
    ctx.html(
        templates.editWebhook(
            s,
            row,
            webhooks.held(s.accountId(), id),
            webhooks.failed(s.accountId(), id),
            form,
            notice));
  }

  private void setEnabled(Context ctx, Session s, boolean enabled) {
    String id = ctx.pathParam("id");
    long held = enabled ? webhooks.held(s.accountId(), id) : 0;
    WebhookRow row = webhooks.update(s.accountId(), id, WebhookFields.enabled(enabled));
    String name = row.webhook().name();
    sessions.notice(
        s,
        new Notice(
            false,
            enabled
                ? "Enabled “"
                    + name
                    + "”."
                    + (held == 0
                        ? ""
                        : " Sending the "
                            + held
                            + (held == 1 ? " held payload." : " held payloads."))
                : "Disabled “" + name + "”. Its events are held until you enable it again."));
    seeOther(ctx, Templates.webhookPath(id));
  }

  private void secret(Context ctx, Session s) {
    String id = ctx.pathParam("id");
    WebhookRow row = webhooks.get(s.accountId(), id);
    ctx.html(templates.secret(s, row, sessions.takeSecret(s, id)));
  }

  private void rotate(Context ctx, Session s) {
    Webhooks.WithSecret rotated = webhooks.rotateSecret(s.accountId(), ctx.pathParam("id"));
    String id = rotated.row().webhook().id();
    sessions.secret(s, new OneTimeSecret(id, rotated.secret(), true));
    seeOther(ctx, Templates.webhookPath(id) + "/secret");
  }

  private void confirmDelete(Context ctx, Session s) {
    String id = ctx.pathParam("id");
    Webhook w = webhooks.get(s.accountId(), id).webhook();
    ctx.html(
        templates.confirmDelete(
            s, w, webhooks.held(s.accountId(), id), webhooks.failed(s.accountId(), id)));
  }

  private void delete(Context ctx, Session s) {
    String id = ctx.pathParam("id");
    Webhook w = webhooks.get(s.accountId(), id).webhook();
    webhooks.delete(s.accountId(), id);
    sessions.notice(s, new Notice(false, "Deleted “" + w.name() + "”."));
    seeOther(ctx, ROOT + "/webhooks");
  }

  private void log(Context ctx, Session s) {
    String id = ctx.pathParam("id");
    Webhook w = webhooks.get(s.accountId(), id).webhook();
    int pageNumber = pageNumber(ctx);
    Page<LogEntry> entries =
        webhooks.log(s.accountId(), id, PageRequest.of(pageNumber, LOG_PER_PAGE));
    ctx.html(
        templates.log(
            s,
            w,
            entries,
            pageNumber,
            LOG_PER_PAGE,
            webhooks.failed(s.accountId(), id),
            sessions.takeNotice(s)));
  }

  private void resend(Context ctx, Session s) {
    String id = ctx.pathParam("id");
    int resent = webhooks.resend(s.accountId(), id, Input.absent());
    sessions.notice(
        s,
        new Notice(
            false,
            resent == 0
                ? "There were no failed payloads to send again."
                : "Sending "
                    + resent
                    + (resent == 1 ? " failed payload" : " failed payloads")
                    + " again. Reload to see the new requests."));
    seeOther(ctx, Templates.webhookPath(id) + "/log");
  }

  // Sessions, CSRF and errors

  @FunctionalInterface
  private interface SignedIn {
    void handle(Context ctx, Session session) throws Exception;
  }

  /** A page for a signed-in browser; others are sent to sign in and brought back. */
  private Handler page(SignedIn handler) {
    return ctx -> {
      securityHeaders(ctx);
      // The session is read from the store, which may fail too: an error page without it then.
      run(ctx, Optional.empty(), () -> page(ctx, handler));
    };
  }

  private void page(Context ctx, SignedIn handler) {
    Optional<Session> session = session(ctx);
    if (session.isEmpty()) {
      String here = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
      String next = next(here);
      seeOther(
          ctx,
          ROOT
              + "/sign-in"
              + (next.equals(ROOT + "/webhooks")
                  ? ""
                  : "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
      return;
    }
    run(ctx, session, () -> handler.handle(ctx, session.get()));
  }

  /**
   * A change: only from a signed-in browser, and only with the session's CSRF token from one of our
   * forms, so another site cannot make the browser submit it.
   */
  private Handler action(SignedIn handler) {
    return ctx -> {
      securityHeaders(ctx);
      run(ctx, Optional.empty(), () -> action(ctx, handler));
    };
  }

  private void action(Context ctx, SignedIn handler) {
    Optional<Session> session = session(ctx);
    if (session.isEmpty()) {
      refuse(ctx, session, 403, "Your session has ended. Sign in again, then repeat the change.");
      return;
    }
    if (!session.get().csrfMatches(formParam(ctx, "csrf"))) {
      refuse(
          ctx,
          session,
          403,
          "This form was out of date or did not come from this site, so nothing was changed."
              + " Go back, reload the page and try again.");
      return;
    }
    run(ctx, session, () -> handler.handle(ctx, session.get()));
  }

  private interface Body {
    void run() throws Exception;
  }

  /** The service's refusals become pages here. */
  private void run(Context ctx, Optional<Session> session, Body body) {
    try {
      body.run();
    } catch (ValidationException e) {
      refuse(ctx, session, 400, e.errors().values().stream().findFirst().orElse("request refused"));
    } catch (NotFoundException e) {
      refuse(ctx, session, 404, e.getMessage() + ". It may have been deleted.");
    } catch (Exception e) {
      log.error("{} {} failed", ctx.method(), ctx.path(), e);
      refuse(ctx, session, 500, "Something went wrong on the server. Try again in a moment.");
    }
  }

  private void refuse(Context ctx, Optional<Session> session, int status, String message) {
    ctx.status(status).html(templates.error(session, status, message));
  }

  private Optional<Session> session(Context ctx) {
    return sessions.find(ctx.cookie(SESSION_COOKIE));
  }

  private static void securityHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "same-origin");
    // Pages carry CSRF tokens and, once, a Secret: nothing of them belongs in a cache.
    ctx.header("Cache-Control", "no-store");
  }

  /**
   * HttpOnly so scripts cannot read it, SameSite=Strict so other sites' requests do not carry it,
   * Secure when the browser reached us over HTTPS (directly or through a proxy that says so).
   */
  private static void setCookie(
      Context ctx, String name, String value, String path, boolean delete) {
    boolean https =
        "https".equalsIgnoreCase(ctx.scheme())
            || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    StringBuilder cookie =
        new StringBuilder(name)
            .append('=')
            .append(value)
            .append("; Path=")
            .append(path)
            .append("; HttpOnly; SameSite=Strict");
    if (https) {
      cookie.append("; Secure");
    }
    if (delete) {
      cookie.append("; Max-Age=0");
    }
    ctx.res().addHeader("Set-Cookie", cookie.toString());
  }

  private static void seeOther(Context ctx, String location) {
    ctx.redirect(location, HttpStatus.SEE_OTHER);
  }

  /** A webhook form's fields as a command. */
  private static WebhookFields fields(Map<String, String> values) {
    return new WebhookFields(
        Input.ofNullable(values.get("name")),
        Input.ofNullable(values.get("description")),
        Input.ofNullable(values.get("event")),
        Input.ofNullable(values.get("url")),
        Input.ofNullable(values.get("isEnabled")),
        Input.ofNullable(values.get("retrySchedule")),
        Input.ofNullable(values.get("batchSize")));
  }

  /** The form's fields that a webhook takes; blanks left out where they would be "required". */
  private static Map<String, String> formValues(Context ctx, boolean creating) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String field : List.of("name", "description", "event", "url", "retrySchedule")) {
      String value = formParam(ctx, field);
      if (value == null) {
        continue;
      }
      boolean required = !field.equals("description") && !field.equals("retrySchedule");
      if (creating && required && value.isBlank()) {
        continue;
      }
      values.put(field, value);
    }
    String batchSize = formParam(ctx, "batchSize");
    if (batchSize != null && !batchSize.isBlank()) {
      values.put("batchSize", batchSize);
    }
    if (creating) {
      // An unticked checkbox sends nothing at all.
      values.put("isEnabled", "1".equals(formParam(ctx, "isEnabled")) ? "1" : "0");
    }
    return values;
  }

  private static String formParam(Context ctx, String name) {
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(FORM)) {
      return null;
    }
    return ctx.formParam(name);
  }

  private static final String FORM = "application/x-www-form-urlencoded";

  private static int pageNumber(Context ctx) {
    String text = ctx.queryParam("_page");
    if (text == null || text.isBlank()) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(text.strip()));
    } catch (NumberFormatException e) {
      throw ValidationException.of("_page", "_page must be a whole number from 0");
    }
  }

  private static String next(String candidate) {
    return candidate != null && NEXT.matcher(candidate).matches() ? candidate : ROOT + "/webhooks";
  }
}
