package io.hookwire.api;

import io.hookwire.core.Account;
import io.hookwire.core.Json;
import io.hookwire.core.WebhookRow;
import io.hookwire.service.Auth;
import io.hookwire.service.Events;
import io.hookwire.service.NotFoundException;
import io.hookwire.service.ValidationException;
import io.hookwire.service.Webhooks;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API under {@code /v2}: Oktopost's webhook routes as the API reference shows them, and
 * Hookwire's additions (publishing, rotation, resend) in the same conventions.
 */
public final class Api {
  private static final Logger log = LoggerFactory.getLogger(Api.class);
  private static final String ACCOUNT = "hookwire.account";

  private final Auth auth;
  private final Webhooks webhooks;
  private final Events events;
  private final RateLimiter manageLimit;
  private final RateLimiter publishLimit;
  private final Predicate<Throwable> storeBusy;

  /**
   * @param manageLimit the bucket of every route but publishing
   * @param publishLimit the bucket of {@code POST /v2/event} and {@code POST /v2/events}: a
   *     producer's rate has nothing to do with how often webhooks are managed, and one must not use
   *     up the other's tokens
   * @param storeBusy whether an error means the store is overloaded for the moment: answered 503
   *     with Retry-After, as a client should retry it, not 500
   */
  public Api(
      Auth auth,
      Webhooks webhooks,
      Events events,
      RateLimiter manageLimit,
      RateLimiter publishLimit,
      Predicate<Throwable> storeBusy) {
    this.storeBusy = storeBusy;
    this.auth = auth;
    this.webhooks = webhooks;
    this.events = events;
    this.manageLimit = manageLimit;
    this.publishLimit = publishLimit;
  }

  public void register(JavalinConfig cfg) {
    cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
    var r = cfg.routes;
    r.before("/v2/*", this::authenticate);

    r.get("/v2/me", ctx -> ctx.json(Views.ok("Account", Views.account(account(ctx)))));

    r.get(
        "/v2/webhook",
        ctx ->
            ctx.json(
                Views.list(webhooks.list(id(ctx), params(ctx).listWebhooks()), Views::webhook)));
    r.post(
        "/v2/webhook",
        ctx -> {
          Webhooks.WithSecret created = webhooks.create(id(ctx), params(ctx).webhookFields());
          ctx.json(
              Views.ok("Webhook", Views.webhook(created.row(), Optional.of(created.secret()))));
        });
    r.get("/v2/webhook/{id}", ctx -> ctx.json(webhook(webhooks.get(id(ctx), ctx.pathParam("id")))));
    r.post("/v2/webhook/{id}", this::update);
    r.put("/v2/webhook/{id}", this::update);
    r.delete(
        "/v2/webhook/{id}",
        ctx -> {
          webhooks.delete(id(ctx), ctx.pathParam("id"));
          ctx.json(java.util.Map.of("Result", true));
        });
    r.post(
        "/v2/webhook/{id}/rotate-secret",
        ctx -> {
          Webhooks.WithSecret rotated = webhooks.rotateSecret(id(ctx), ctx.pathParam("id"));
          ctx.json(
              Views.ok("Webhook", Views.webhook(rotated.row(), Optional.of(rotated.secret()))));
        });
    r.post(
        "/v2/webhook/{id}/resend",
        ctx ->
            ctx.json(
                Views.ok(
                    "Resent",
                    webhooks.resend(id(ctx), ctx.pathParam("id"), params(ctx).input("since")))));
    r.get(
        "/v2/webhook-log/{id}",
        ctx ->
            ctx.json(
                Views.list(
                    webhooks.log(id(ctx), ctx.pathParam("id"), params(ctx).paging()),
                    Views::logEntry)));

    r.post(
        "/v2/event",
        ctx ->
            ctx.json(
                Views.ok(
                    "Event",
                    Views.event(
                        events.publish(
                            id(ctx),
                            params(ctx)
                                .publishEvent(
                                    Optional.ofNullable(ctx.header("Idempotency-Key"))))))));
    r.post(
        "/v2/events",
        ctx -> {
          requireJson(ctx);
          ctx.json(Views.events(events.publishBatch(id(ctx), Json.parse(ctx.bodyAsBytes()))));
        });

    r.exception(
        ApiException.class, (e, ctx) -> ctx.status(e.status()).json(Views.error(e.errors())));
    r.exception(
        ValidationException.class, (e, ctx) -> ctx.status(400).json(Views.error(e.errors())));
    r.exception(
        NotFoundException.class,
        (e, ctx) -> ctx.status(404).json(Views.error(Map.of("API", e.getMessage()))));
    r.exception(
        Json.Malformed.class,
        (e, ctx) -> ctx.status(400).json(Views.error(Map.of("API", e.getMessage()))));
    r.exception(
        HttpResponseException.class,
        (e, ctx) -> {
          String message =
              switch (e.getStatus()) {
                case 404 -> "no such route";
                case 405 -> "method not allowed on this route";
                case 413 -> "the request body is too large";
                default -> e.getMessage();
              };
          String allowed = e.getDetails().get("availableMethods");
          if (e.getStatus() == 405 && allowed != null) {
            // RFC 9110: a 405 names the methods the route does take.
            ctx.header("Allow", allowed);
          }
          ctx.status(e.getStatus()).json(Views.error(java.util.Map.of("API", message)));
        });
    r.exception(
        Exception.class,
        (e, ctx) -> {
          if (storeBusy.test(e)) {
            log.warn("{} {}: the store is busy: {}", ctx.method(), ctx.path(), e.toString());
            ctx.header("Retry-After", "1");
            ctx.status(503)
                .json(Views.error(java.util.Map.of("API", "the store is busy; retry shortly")));
            return;
          }
          log.error("{} {} failed", ctx.method(), ctx.path(), e);
          ctx.status(500).json(Views.error(java.util.Map.of("API", "internal error")));
        });
  }

  private void update(Context ctx) {
    WebhookRow updated = webhooks.update(id(ctx), ctx.pathParam("id"), params(ctx).webhookFields());
    ctx.json(webhook(updated));
  }

  private static Object webhook(WebhookRow row) {
    return Views.ok("Webhook", Views.webhook(row));
  }

  private void authenticate(Context ctx) {
    Optional<Account> account = auth.authenticate(ctx.header("Authorization"));
    if (account.isEmpty()) {
      ctx.header("WWW-Authenticate", "Basic realm=\"Hookwire\", charset=\"UTF-8\"");
      throw ApiException.general(401, "authentication failed: use your Account ID and API key");
    }
    RateLimiter limit = isPublish(ctx) ? publishLimit : manageLimit;
    OptionalLong wait = limit.acquire(account.get().id());
    if (wait.isPresent()) {
      ctx.header("Retry-After", Long.toString(Math.max(1, wait.getAsLong())));
      throw ApiException.general(429, "rate limit exceeded; retry later");
    }
    ctx.attribute(ACCOUNT, account.get());
  }

  /**
   * Whether the request publishes. A batch is one request, one token: the limit guards the
   * per-request work (authentication, parsing, a transaction), which a batch of 1,000 does once;
   * the events per batch are bounded on their own.
   */
  private static boolean isPublish(Context ctx) {
    if (!HandlerType.POST.equals(ctx.method())) {
      return false;
    }
    String path = ctx.path();
    // The router ignores one trailing slash, so the limit must too.
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return path.equals("/v2/event") || path.equals("/v2/events");
  }

  private static Account account(Context ctx) {
    return ctx.attribute(ACCOUNT);
  }

  private static String id(Context ctx) {
    return account(ctx).id();
  }

  private static Params params(Context ctx) {
    return Params.from(ctx);
  }

  private static void requireJson(Context ctx) {
    if (!Params.mediaType(ctx).equals("application/json")) {
      throw ApiException.general(415, "send the events as application/json");
    }
  }
}
