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
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
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

  /** Every route's body limit but publishing's: a webhook's fields take a few KB at most. */
  static final long BODY_LIMIT = 64 * 1024;

  /** {@code POST /v2/events}: up to 1,000 events. */
  static final long EVENTS_BODY_LIMIT = 16L * 1024 * 1024;

  /** Bodies up to this size are read and parsed without a permit: they take microseconds. */
  static final long SMALL_BODY = 64 * 1024;

  /**
   * Bytes of large bodies one account may have being read and parsed at once, in KiB: one largest
   * batch. A producer's ordinary batches (a few hundred KB) are parsed side by side; an account
   * sending 16 MB bodies as fast as it can has one parsed at a time, one core of the server, and
   * the others keep the rest. A body of unknown length (chunked) takes the whole budget.
   */
  static final int LARGE_BODY_KIB_PER_ACCOUNT = (int) (EVENTS_BODY_LIMIT / 1024);

  private final Auth auth;
  private final Webhooks webhooks;
  private final Events events;
  private final RateLimiter manageLimit;
  private final RateLimiter publishLimit;
  private final Predicate<Throwable> storeBusy;
  private final long eventBodyLimit;

  /** Each account's permits to read and parse a large body. */
  private final Map<String, Semaphore> largeBodies = new ConcurrentHashMap<>();

  /** Large bodies being read or parsed now, and those waiting for their account's permit. */
  private final AtomicInteger largeBodiesRead = new AtomicInteger();

  private final AtomicInteger waitingBodies = new AtomicInteger();

  /**
   * @param manageLimit the bucket of every route but publishing
   * @param publishLimit the bucket of {@code POST /v2/event} and {@code POST /v2/events}: a
   *     producer's rate has nothing to do with how often webhooks are managed, and one must not use
   *     up the other's tokens
   * @param storeBusy whether an error means the store is overloaded for the moment: answered 503
   *     with Retry-After, as a client should retry it, not 500
   * @param maxEventBytes the largest event data: a single event's body may be twice that (escapes,
   *     indentation, form encoding) and 16 KiB more
   */
  public Api(
      Auth auth,
      Webhooks webhooks,
      Events events,
      RateLimiter manageLimit,
      RateLimiter publishLimit,
      Predicate<Throwable> storeBusy,
      int maxEventBytes,
      MeterRegistry metrics) {
    this.storeBusy = storeBusy;
    metrics.gauge("hookwire.request.bodies.large", largeBodiesRead);
    metrics.gauge("hookwire.request.bodies.waiting", waitingBodies);
    this.eventBodyLimit = 2L * maxEventBytes + 16 * 1024;
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

    r.get("/v2/me", ctx -> ctx.json(Views.me(account(ctx))));

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
                            params(ctx, eventBodyLimit)
                                .publishEvent(
                                    Optional.ofNullable(ctx.header("Idempotency-Key"))))))));
    r.post(
        "/v2/events",
        ctx -> {
          requireJson(ctx);
          ctx.json(
              Views.events(
                  events.publishBatch(id(ctx), parsed(ctx, EVENTS_BODY_LIMIT, Json::parse))));
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
    Account account =
        switch (auth.checkHeader(ctx.header("Authorization"), ctx.ip())) {
          case Auth.Verdict.Accepted accepted -> accepted.account();
          case Auth.Verdict.Refused refused -> {
            ctx.header("WWW-Authenticate", "Basic realm=\"Hookwire\", charset=\"UTF-8\"");
            throw ApiException.general(
                401, "authentication failed: use your Account ID and API key");
          }
          case Auth.Verdict.Throttled throttled -> {
            ctx.header("Retry-After", Long.toString(throttled.retryAfterSeconds()));
            throw ApiException.general(
                429,
                "too many failed authentications from this address or for this account; retry later");
          }
        };
    RateLimiter limit = isPublish(ctx) ? publishLimit : manageLimit;
    OptionalLong wait = limit.acquire(account.id());
    if (wait.isPresent()) {
      ctx.header("Retry-After", Long.toString(wait.getAsLong()));
      throw ApiException.general(429, "rate limit exceeded; retry later");
    }
    ctx.attribute(ACCOUNT, account);
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

  private Params params(Context ctx) {
    return params(ctx, BODY_LIMIT);
  }

  private Params params(Context ctx, long bodyLimit) {
    return parsed(ctx, bodyLimit, body -> Params.from(ctx, body));
  }

  /**
   * Reads the body within {@code limit} and parses it. A body declared larger is refused before a
   * byte of it is read; one that streams past the limit is refused at the limit. A large body (or
   * one of unknown length) is read and parsed holding its size in its account's budget ({@link
   * #LARGE_BODY_KIB_PER_ACCOUNT}), so no account can take all of the server's parsing while others
   * wait.
   */
  private <T> T parsed(Context ctx, long limit, Function<byte[], T> parse) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      throw tooLarge(limit);
    }
    // Without a Content-Length a body is chunked, of unknown length, or there is none.
    boolean large =
        declared > SMALL_BODY || (declared < 0 && ctx.header("Transfer-Encoding") != null);
    Semaphore permits =
        !large
            ? null
            : largeBodies.computeIfAbsent(
                id(ctx), account -> new Semaphore(LARGE_BODY_KIB_PER_ACCOUNT, true));
    int kib =
        declared < 0
            ? LARGE_BODY_KIB_PER_ACCOUNT
            : (int) Math.min(LARGE_BODY_KIB_PER_ACCOUNT, (declared + 1023) / 1024);
    if (permits != null && !permits.tryAcquire(kib)) {
      waitingBodies.incrementAndGet();
      try {
        permits.acquireUninterruptibly(kib);
      } finally {
        waitingBodies.decrementAndGet();
      }
    }
    if (permits != null) {
      largeBodiesRead.incrementAndGet();
    }
    try {
      byte[] body;
      try {
        body = ctx.req().getInputStream().readNBytes((int) limit + 1);
      } catch (IOException e) {
        throw ApiException.general(400, "the request body could not be read");
      }
      if (body.length > limit) {
        throw tooLarge(limit);
      }
      return parse.apply(body);
    } finally {
      if (permits != null) {
        largeBodiesRead.decrementAndGet();
        permits.release(kib);
      }
    }
  }

  private static ApiException tooLarge(long limit) {
    return ApiException.general(
        413, "the request body is too large: at most " + limit + " bytes on this route");
  }

  private static void requireJson(Context ctx) {
    if (!Params.mediaType(ctx).equals("application/json")) {
      throw ApiException.general(415, "send the events as application/json");
    }
  }
}
