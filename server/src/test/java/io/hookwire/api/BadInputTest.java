package io.hookwire.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ApiClient.Answer;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Why this exists: every parameter and id of every route is a door for malformed, oversized,
 * hostile or just unexpected input. Each row of this table sends one such request to a real server
 * and expects a clear 4xx in Oktopost's error shape (never a 500, never a stack trace), with the
 * account's webhooks, their log and the receiver exactly as they were.
 */
class BadInputTest {
  /** Writes every non-ASCII character as an escape, so lone surrogates reach the server. */
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  private static final Map<StoreKind, Fixture> FIXTURES = new EnumMap<>(StoreKind.class);

  /** SQL, path and encoding tricks: hostile in any typed parameter or id. */
  private static final List<String> METACHARACTERS =
      List.of(
          "' OR 1=1 --",
          "\" OR \"\"=\"",
          "1; DROP TABLE webhook; --",
          ";DROP TABLE webhook",
          "../",
          "../../etc/passwd",
          "..\\..\\",
          "%00",
          "%",
          "_",
          "*",
          "${jndi:ldap://example.com/a}",
          "<script>alert(1)</script>",
          "\u0000",
          "\u202e",
          "newLead\u0000",
          "😀");

  /** One server per store with an account, one webhook and one delivery logged. */
  private record Fixture(TestServer server, RecordingReceiver receiver, ApiClient api, String id) {
    /** What the account can see: it must read the same after every bad request. */
    List<JsonNode> snapshot() {
      return List.of(
          api.get("/v2/webhook?_count=100").json(),
          api.get("/v2/webhook/" + id).json(),
          api.get("/v2/webhook-log/" + id + "?_count=100").json(),
          api.get("/v2/me").json());
    }
  }

  private static synchronized Fixture fixture(StoreKind kind) {
    return FIXTURES.computeIfAbsent(
        kind,
        k -> {
          TestServer server = TestServer.start(k);
          RecordingReceiver receiver = new RecordingReceiver();
          ApiClient api = server.api();
          String id =
              api.postForm(
                      "/v2/webhook",
                      Map.of(
                          "event",
                          "newLead",
                          "name",
                          "Probe target",
                          "description",
                          "line one\nline two",
                          "url",
                          receiver.url("/hook")))
                  .json()
                  .at("/Webhook/Id")
                  .asText();
          api.postJson("/v2/event", "{\"event\":\"newLead\",\"data\":{\"n\":1}}");
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      api.get("/v2/webhook-log/" + id).json().at("/Total").asInt() == 1
                          && receiver.received().size() == 1);
          return new Fixture(server, receiver, api, id);
        });
  }

  @AfterAll
  static void stop() {
    FIXTURES
        .values()
        .forEach(
            f -> {
              f.receiver().close();
              f.server().close();
            });
    FIXTURES.clear();
  }

  /**
   * One bad request: {@code call} gets the client and the fixture's webhook id; {@code field} is
   * the field the error must name (null: any), {@code status} the exact status (0: any 4xx).
   */
  record Case(String name, BiFunction<ApiClient, String, Answer> call, String field, int status) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    List<Case> table = table();
    List<Arguments> out = new ArrayList<>();
    for (StoreKind kind : StoreKind.values()) {
      table.forEach(c -> out.add(Arguments.of(kind, c)));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void badInputIsAClear4xxAndChangesNothing(StoreKind kind, Case c) {
    Fixture f = fixture(kind);
    List<JsonNode> before = f.snapshot();
    int received = f.receiver().received().size();

    Answer answer = c.call().apply(f.api(), f.id());

    String what = c.name() + " answered " + answer.status() + " " + abbreviate(answer.text());
    if (c.status() == 0) {
      assertThat(answer.status()).as(what).isBetween(400, 499);
    } else {
      assertThat(answer.status()).as(what).isEqualTo(c.status());
    }
    assertOktopostError(what, answer);
    if (c.field() != null) {
      assertThat(answer.json().at("/Errors/" + escape(c.field()) + "/Error").isTextual())
          .as("%s: an error naming %s", what, c.field())
          .isTrue();
    }
    assertThat(f.snapshot()).as(what).isEqualTo(before);
    assertThat(f.receiver().received()).as(what).hasSize(received);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void metacharactersInFreeTextAreStoredVerbatimAndSearchedLiterally(StoreKind kind) {
    Fixture f = fixture(kind);
    ApiClient other = f.server().newAccount("free text");
    List<String> ids = new ArrayList<>();
    for (String text : List.of("' OR 1=1 --", "1; DROP TABLE webhook; --", "../%00_%", "😀 ünï")) {
      Answer created =
          other.postForm(
              "/v2/webhook",
              Map.of(
                  "event",
                  "newLead",
                  "name",
                  text,
                  "description",
                  text,
                  "url",
                  "https://x.example/"));
      assertThat(created.status()).as(created.text()).isEqualTo(200);
      String id = created.json().at("/Webhook/Id").asText();
      ids.add(id);
      JsonNode stored = other.get("/v2/webhook/" + id).json().at("/Webhook");
      assertThat(stored.at("/Name").asText()).isEqualTo(text);
      assertThat(stored.at("/Description").asText()).isEqualTo(text);
    }

    assertThat(other.get("/v2/webhook?name=" + enc("' OR 1=1 --")).json().at("/Total").asInt())
        .isEqualTo(1);
    // LIKE's wildcards match only themselves.
    assertThat(other.get("/v2/webhook?name=" + enc("%")).json().at("/Total").asInt()).isEqualTo(1);
    assertThat(other.get("/v2/webhook?name=" + enc("_")).json().at("/Total").asInt()).isEqualTo(1);
    assertThat(other.get("/v2/webhook?name=" + enc("\\")).json().at("/Total").asInt()).isZero();
    // Unescaped UTF-8, as curl -d sends what it is given, is read as UTF-8.
    Answer raw =
        other.raw(
            "POST",
            "/v2/webhook",
            "application/x-www-form-urlencoded",
            "event=newLead&name=raw ünï&url=https://x.example/".getBytes(StandardCharsets.UTF_8));
    assertThat(raw.status()).as(raw.text()).isEqualTo(200);
    assertThat(raw.json().at("/Webhook/Name").asText()).isEqualTo("raw ünï");
    ids.add(raw.json().at("/Webhook/Id").asText());
    assertThat(other.get("/v2/webhook").json().at("/Total").asInt()).isEqualTo(5);
    assertThat(f.api().get("/v2/webhook").json().at("/Total").asInt()).isEqualTo(1);
    ids.forEach(id -> assertThat(other.delete("/v2/webhook/" + id).status()).isEqualTo(200));
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void eventDataUpToTheLimitIsAcceptedInJsonAndForms(StoreKind kind) {
    Fixture f = fixture(kind);
    ApiClient other = f.server().newAccount("big events");
    String data = "{\"blob\":\"" + "x".repeat(250 * 1024) + "\"}";

    Answer json = other.postJson("/v2/event", "{\"event\":\"newLead\",\"data\":" + data + "}");
    Answer form = other.postForm("/v2/event", Map.of("event", "newLead", "data", data));

    assertThat(json.status()).as(json.text()).isEqualTo(200);
    assertThat(form.status()).as(form.text()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void eventDataKeepsControlCharactersAndUnicodeAsSent(StoreKind kind) {
    // Event data is the producer's: escaped NULs (which PostgreSQL text cannot hold raw) and any
    // Unicode must go through untouched.
    Fixture f = fixture(kind);
    ApiClient other = f.server().newAccount("odd data");
    try (RecordingReceiver receiver = new RecordingReceiver()) {
      other.postForm(
          "/v2/webhook", Map.of("event", "newLead", "name", "Odd", "url", receiver.url("/odd")));
      String data =
          "{\"nul\":\"a\\u0000b\",\"bell\":\"\\u0007\",\"emoji\":\"😀\",\"lone\":\"\\ud800\"}";

      Answer published =
          other.postJson("/v2/event", "{\"event\":\"newLead\",\"data\":" + data + "}");

      assertThat(published.status()).as(published.text()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
      assertThat(receiver.received().get(0).bodyText()).contains("\"data\":" + data);
    }
  }

  // The table.

  private static List<Case> table() {
    List<Case> t = new ArrayList<>();
    malformedBodies(t);
    wrongTypesAndValues(t);
    hugeAndEmptyValues(t);
    unicodeAndControlCharacters(t);
    metacharactersInTypedParameters(t);
    metacharactersInIds(t);
    badAuthorization(t);
    ambiguousInput(t);
    retriesTooSoon(t);
    return t;
  }

  /**
   * Input a lenient parser reads one way and another parser another: refused, never guessed.
   * Duplicate keys or parameters, media types that only start like ours, charsets other than UTF-8,
   * names that look like something else, numbers JSON cannot keep.
   */
  private static void ambiguousInput(List<Case> t) {
    t.add(
        status(
            raw(
                "POST /v2/webhook JSON with a duplicate key",
                "POST",
                "/v2/webhook",
                "application/json",
                "{\"event\":\"newLead\",\"name\":\"a\",\"name\":\"b\","
                    + "\"url\":\"https://x.example/\"}"),
            400));
    t.add(
        status(
            raw(
                "POST /v2/event JSON with a duplicate key in data",
                "POST",
                "/v2/event",
                "application/json",
                "{\"event\":\"newLead\",\"data\":{\"n\":1,\"n\":2}}"),
            400));
    t.add(
        new Case(
            "POST /v2/webhook form with a parameter twice",
            (api, id) ->
                api.raw(
                    "POST",
                    "/v2/webhook",
                    "application/x-www-form-urlencoded",
                    "event=newLead&name=a&name=b&url=https://x.example/"
                        .getBytes(StandardCharsets.UTF_8)),
            "name",
            400));
    t.add(
        get(
            "GET /v2/webhook with a parameter twice",
            "/v2/webhook?event=newLead&event=postSent",
            "event"));
    for (String type :
        List.of(
            "application/jsonx",
            "application/json-patch+json",
            "application/json; charset=iso-8859-1",
            "application/json; charset=utf-16",
            "application/x-www-form-urlencodedx",
            "application/x-www-form-urlencoded; charset=latin1")) {
      String body =
          type.contains("form")
              ? "event=newLead&name=x&url=https://x.example/"
              : "{\"event\":\"newLead\",\"name\":\"x\",\"url\":\"https://x.example/\"}";
      t.add(status(raw("POST /v2/webhook as " + type, "POST", "/v2/webhook", type, body), 415));
      t.add(
          status(
              raw(
                  "POST /v2/event as " + type,
                  "POST",
                  "/v2/event",
                  type,
                  type.contains("form") ? "event=newLead" : "{\"event\":\"newLead\"}"),
              415));
    }
    t.add(
        status(
            raw(
                "POST /v2/events as application/jsonx",
                "POST",
                "/v2/events",
                "application/jsonx",
                "[]"),
            415));
    for (String event : List.of("newLead ", " newLead", "newLead\t", "newLead\u200b")) {
      t.add(
          json(
              "POST /v2/webhook event " + enc(event),
              "POST",
              "/v2/webhook",
              withValid("event", event),
              "event"));
      t.add(
          json(
              "POST /v2/event event " + enc(event),
              "POST",
              "/v2/event",
              Map.of("event", event, "data", Map.of("n", 1)),
              "event"));
    }
    for (String number : List.of("1e400", "-1e400", "[1e309]")) {
      t.add(
          new Case(
              "POST /v2/event data " + number,
              (api, id) ->
                  api.raw(
                      "POST",
                      "/v2/event",
                      "application/json",
                      ("{\"event\":\"newLead\",\"data\":{\"n\":" + number + "}}")
                          .getBytes(StandardCharsets.UTF_8)),
              "data",
              400));
    }
    for (String name :
        List.of(
            "evil\u202egnp.exe",
            "\u202eReversed",
            "zero\u200bwidth",
            "\u200bleading",
            "isolate\u2066x\u2069",
            "bom\ufeff",
            "word\u2060joiner",
            "\u200djoiner first")) {
      t.add(
          json(
              "POST /v2/webhook name " + enc(name),
              "POST",
              "/v2/webhook",
              withValid("name", name),
              "name"));
      t.add(
          json(
              "POST /v2/webhook description " + enc(name),
              "POST",
              "/v2/webhook",
              withValid("description", name),
              "description"));
    }
  }

  /** Retry delays below --min-retry-delay (1 s): a failing receiver is not retried in a loop. */
  private static void retriesTooSoon(List<Case> t) {
    for (String schedule : List.of("0s", "1ms", "999ms", "5s,0s", "0ms,25s")) {
      t.add(
          form(
              "POST /v2/webhook retrySchedule " + schedule,
              "POST",
              "/v2/webhook",
              valid(Map.of("retrySchedule", schedule)),
              "retrySchedule"));
      t.add(
          form(
              "POST /v2/webhook/{id} retrySchedule " + schedule,
              "POST",
              "/v2/webhook/ID",
              Map.of("retrySchedule", schedule),
              "retrySchedule"));
    }
  }

  private static Case status(Case c, int status) {
    return new Case(c.name(), c.call(), c.field(), status);
  }

  /** Bodies that are not what their content type says, and content types no route takes. */
  private static void malformedBodies(List<Case> t) {
    List<String> badJson =
        List.of(
            "{",
            "}",
            "{\"event\":}",
            "{\"event\":\"newLead\",}",
            "{\"a\":1}{\"b\":2}",
            "{\"a\":1} trailing",
            "nul",
            "'single'",
            "{'event':'newLead'}",
            "{\"a\":NaN}",
            "{/* comment */}",
            "{\"a\":01}",
            "\"\\ud800",
            "[".repeat(200) + "]".repeat(200),
            "{\"data\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(101));
    List<String> notObjects = List.of("[]", "\"text\"", "42", "true", "null", "[{\"event\":1}]");
    Map<String, String> jsonRoutes = new LinkedHashMap<>();
    jsonRoutes.put("POST /v2/webhook", "/v2/webhook");
    jsonRoutes.put("POST /v2/webhook/{id}", "/v2/webhook/ID");
    jsonRoutes.put("PUT /v2/webhook/{id}", "/v2/webhook/ID");
    jsonRoutes.put("POST /v2/webhook/{id}/resend", "/v2/webhook/ID/resend");
    jsonRoutes.put("POST /v2/event", "/v2/event");
    jsonRoutes.put("POST /v2/events", "/v2/events");
    jsonRoutes.forEach(
        (route, path) -> {
          String method = route.substring(0, route.indexOf(' '));
          for (String body : badJson) {
            t.add(
                raw(
                    route + " malformed JSON " + abbreviate(body),
                    method,
                    path,
                    "application/json",
                    body));
          }
          if (!route.endsWith("/v2/events")) {
            for (String body : notObjects) {
              t.add(
                  raw(
                      route + " JSON not an object " + body,
                      method,
                      path,
                      "application/json",
                      body));
            }
          }
          for (String type :
              List.of(
                  "text/plain",
                  "application/xml",
                  "multipart/form-data; boundary=x",
                  "application/octet-stream")) {
            t.add(raw(route + " as " + type, method, path, type, "event=newLead&name=x"));
          }
          t.add(
              raw(
                  route + " invalid UTF-8 in JSON",
                  method,
                  path,
                  "application/json",
                  new byte[] {
                    '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'
                  }));
        });
    for (String body : List.of("{}", "[]", "", "{\"event\":\"newLead\"}", "[1]")) {
      t.add(
          raw(
              "POST /v2/events " + abbreviate(body),
              "POST",
              "/v2/events",
              "application/json",
              body));
    }
    t.add(raw("POST /v2/events without a content type", "POST", "/v2/events", null, "[]"));
    List<String> badForms =
        List.of(
            // A "%" that starts no escape is kept as typed (curl -d name="50% off"), so a name
            // like "%zz" is valid; see HttpErrorsTest. Escapes of invalid UTF-8 are refused.
            "event=newLead&name=%E0%A4%A&url=https://x.example/",
            "event=newLead&name=%FF%FE&url=https://x.example/",
            "event=newLead&name=%C0%80&url=https://x.example/",
            "event=%zz",
            "=&=&=",
            "&&&",
            "event",
            "name=a&name=b&event=&url=",
            "event=newLead&name=%ED%A0%80&url=https://x.example/");
    for (String form : badForms) {
      t.add(
          raw(
              "POST /v2/webhook form " + form,
              "POST",
              "/v2/webhook",
              "application/x-www-form-urlencoded",
              form));
      t.add(
          raw(
              "PUT /v2/webhook/{id} form " + form,
              "PUT",
              "/v2/webhook/ID",
              "application/x-www-form-urlencoded",
              form + "&isEnabled=maybe"));
    }
    t.add(
        raw(
            "POST /v2/event form %zz",
            "POST", "/v2/event", "application/x-www-form-urlencoded", "event=newLead&data=%zz"));
  }

  /** Each typed parameter given a value of the wrong type or out of its range. */
  private static void wrongTypesAndValues(List<Case> t) {
    Map<String, List<Object>> webhookParams = new LinkedHashMap<>();
    webhookParams.put(
        "event",
        List.of(
            5, true, List.of("newLead"), Map.of("a", 1), "newlead!", "NEWLEAD_", "postSent2", ""));
    webhookParams.put("name", List.of(List.of("a"), Map.of("a", 1), ""));
    webhookParams.put("description", List.of(List.of("a"), Map.of("a", 1)));
    webhookParams.put(
        "url",
        List.of(
            123,
            List.of("https://x.example/"),
            Map.of("a", 1),
            "",
            "not a url",
            "ftp://x.example/",
            "javascript:alert(1)",
            "https://user:pw@x.example/",
            "https://x.example/#f",
            "//x.example/"));
    webhookParams.put(
        "isEnabled", List.of("yes", 2, -1, "", List.of(1), Map.of("a", 1), 1.5, "01"));
    webhookParams.put(
        "batchSize",
        List.of("abc", 1.5, 0, -1, 1e10, "99999999999", List.of(1), true, "", "1e2", "0x10"));
    webhookParams.put(
        "retrySchedule",
        List.of(
            5, "abc", "-5s", "5", "5x", ",", "5s,,5s", "1s;DROP", List.of("5s"), "999999999999d"));
    webhookParams.forEach(
        (param, values) -> {
          for (Object value : values) {
            t.add(
                json(
                    "POST /v2/webhook " + param + "=" + show(value),
                    "POST",
                    "/v2/webhook",
                    withValid(param, value),
                    param));
            t.add(
                json(
                    "POST /v2/webhook/{id} " + param + "=" + show(value),
                    "POST",
                    "/v2/webhook/ID",
                    Map.of(param, value),
                    param));
            if (value instanceof String s) {
              t.add(
                  form(
                      "PUT /v2/webhook/{id} form " + param + "=" + show(value),
                      "PUT",
                      "/v2/webhook/ID",
                      Map.of(param, s),
                      param));
            }
          }
        });
    for (String query :
        List.of(
            "event=bogus",
            "event=",
            "_order=bogus",
            "_order=secret_sealed",
            "_order=name;DROP",
            "_page=-1",
            "_page=abc",
            "_page=1.5",
            "_page=99999999999",
            "_count=7",
            "_count=abc",
            "_count=1000",
            "_count=-20",
            "_count=")) {
      String field = query.substring(0, query.indexOf('='));
      t.add(get("GET /v2/webhook?" + query, "/v2/webhook?" + query, field));
      if (field.startsWith("_p") || field.startsWith("_c")) {
        t.add(get("GET /v2/webhook-log/{id}?" + query, "/v2/webhook-log/ID?" + query, field));
      }
    }
    for (String since :
        List.of(
            "bogus",
            "2020-13-45",
            "2020-01-01T00:00:00Z",
            "yesterday",
            "",
            "2020-02-30 10:00:00",
            "99999-01-01")) {
      t.add(
          form(
              "POST resend since=" + since,
              "POST",
              "/v2/webhook/ID/resend",
              Map.of("since", since),
              "since"));
    }
    Map<String, Object> events = new LinkedHashMap<>();
    events.put("event missing", Map.of("data", Map.of()));
    events.put("event bogus", Map.of("event", "bogus"));
    events.put("event number", Map.of("event", 5));
    events.put("event list", Map.of("event", List.of("newLead")));
    events.put("data string not JSON", Map.of("event", "newLead", "data", "not json"));
    events.put("data array", Map.of("event", "newLead", "data", List.of(1)));
    events.put("data number", Map.of("event", "newLead", "data", 5));
    events.put("data string array", Map.of("event", "newLead", "data", "[1]"));
    events.put("data true", Map.of("event", "newLead", "data", true));
    events.forEach(
        (name, body) -> {
          String field = name.startsWith("event") ? "event" : "data";
          t.add(json("POST /v2/event " + name, "POST", "/v2/event", body, field));
          t.add(
              json(
                  "POST /v2/events " + name,
                  "POST",
                  "/v2/events",
                  List.of(body),
                  "events[0]." + field));
        });
    t.add(
        json("POST /v2/events item not an object", "POST", "/v2/events", List.of(5), "events[0]"));
    t.add(
        json(
            "POST /v2/events second item bad",
            "POST",
            "/v2/events",
            List.of(Map.of("event", "newLead"), Map.of("event", "x")),
            "events[1].event"));
    t.add(
        json(
            "POST /v2/events idempotencyKey list",
            "POST",
            "/v2/events",
            List.of(Map.of("event", "newLead", "idempotencyKey", List.of("k"))),
            "events[0].idempotencyKey"));
    for (String key : List.of("has space", "x".repeat(256), "ümlaut", "tab\there")) {
      t.add(
          json(
              "POST /v2/events idempotencyKey " + abbreviate(key),
              "POST",
              "/v2/events",
              List.of(Map.of("event", "newLead", "idempotencyKey", key)),
              "events[0].idempotencyKey"));
    }
    for (String key : List.of("has space", "x".repeat(256), "\"quoted\" and spaced")) {
      t.add(
          new Case(
              "POST /v2/event Idempotency-Key " + abbreviate(key),
              (api, id) ->
                  api.postJson(
                      "/v2/event", "{\"event\":\"newLead\"}", Map.of("Idempotency-Key", key)),
              "idempotencyKey",
              400));
    }
  }

  private static void hugeAndEmptyValues(List<Case> t) {
    t.add(
        form(
            "POST /v2/webhook name 256 characters",
            "POST",
            "/v2/webhook",
            valid(Map.of("name", "n".repeat(256))),
            "name"));
    // Past the webhook routes' 64 KiB body limit: refused for its size, before it is parsed.
    t.add(
        status(
            form(
                "POST /v2/webhook name 100k characters",
                "POST",
                "/v2/webhook",
                valid(Map.of("name", "n".repeat(100_000))),
                "API"),
            413));
    t.add(
        form(
            "POST /v2/webhook name 256 emoji",
            "POST",
            "/v2/webhook",
            valid(Map.of("name", "😀".repeat(256))),
            "name"));
    t.add(
        form(
            "POST /v2/webhook description 1001",
            "POST",
            "/v2/webhook",
            valid(Map.of("description", "d".repeat(1001))),
            "description"));
    t.add(
        form(
            "POST /v2/webhook url 2049",
            "POST",
            "/v2/webhook",
            valid(Map.of("url", "https://x.example/" + "u".repeat(2049))),
            "url"));
    t.add(
        form(
            "POST /v2/webhook name blank",
            "POST",
            "/v2/webhook",
            valid(Map.of("name", "   ")),
            "name"));
    t.add(
        form(
            "POST /v2/webhook url blank", "POST", "/v2/webhook", valid(Map.of("url", " ")), "url"));
    t.add(form("POST /v2/webhook nothing", "POST", "/v2/webhook", Map.of(), "event"));
    t.add(
        form(
            "POST /v2/webhook only event",
            "POST",
            "/v2/webhook",
            Map.of("event", "newLead"),
            "name"));
    t.add(
        form(
            "POST /v2/webhook no url",
            "POST",
            "/v2/webhook",
            Map.of("event", "newLead", "name", "n"),
            "url"));
    t.add(
        status(
            form(
                "POST /v2/webhook/{id} name 100k",
                "POST",
                "/v2/webhook/ID",
                Map.of("name", "n".repeat(100_000)),
                "API"),
            413));
    t.add(
        form(
            "POST /v2/webhook/{id} name 10k",
            "POST",
            "/v2/webhook/ID",
            Map.of("name", "n".repeat(10_000)),
            "name"));
    t.add(
        form(
            "PUT /v2/webhook/{id} name empty",
            "PUT",
            "/v2/webhook/ID",
            Map.of("name", ""),
            "name"));
    t.add(form("POST /v2/event nothing", "POST", "/v2/event", Map.of(), "event"));
    String tooBig = "{\"blob\":\"" + "x".repeat(256 * 1024) + "\"}";
    t.add(
        json(
            "POST /v2/event data over 256 KB",
            "POST",
            "/v2/event",
            Map.of("event", "newLead", "data", parse(tooBig)),
            "data"));
    t.add(
        form(
            "POST /v2/event form data over 256 KB",
            "POST",
            "/v2/event",
            Map.of("event", "newLead", "data", tooBig),
            "data"));
    t.add(
        json(
            "POST /v2/events data over 256 KB",
            "POST",
            "/v2/events",
            List.of(Map.of("event", "newLead", "data", parse(tooBig))),
            "events[0].data"));
    List<Object> many = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      many.add(Map.of("event", "newLead"));
    }
    t.add(json("POST /v2/events 1001 events", "POST", "/v2/events", many, "API"));
    t.add(json("POST /v2/events no events", "POST", "/v2/events", List.of(), "API"));
    byte[] huge =
        ("{\"event\":\"newLead\",\"data\":{\"blob\":\"" + "x".repeat(17 * 1024 * 1024) + "\"}}")
            .getBytes(StandardCharsets.UTF_8);
    t.add(raw("POST /v2/event body over 16 MB", "POST", "/v2/event", "application/json", huge));
    t.add(raw("POST /v2/webhook body over 16 MB", "POST", "/v2/webhook", "application/json", huge));
    StringBuilder manyKeys = new StringBuilder("event=newLead");
    for (int i = 0; i < 5000; i++) {
      manyKeys.append("&k").append(i).append("=v");
    }
    t.add(
        raw(
            "POST /v2/webhook form with 5000 keys",
            "POST",
            "/v2/webhook",
            "application/x-www-form-urlencoded",
            manyKeys.toString()));
  }

  private static void unicodeAndControlCharacters(List<Case> t) {
    for (String value :
        List.of(
            "a\u0000b",
            "a\u0007b",
            "a\u001bb",
            "a\nb",
            "a\rb",
            "a\u007fb",
            "a\u0085b",
            "\ud800",
            "a\udfffb")) {
      String shown = show(value);
      t.add(
          json(
              "POST /v2/webhook name " + shown,
              "POST",
              "/v2/webhook",
              withValid("name", value),
              "name"));
      t.add(
          json(
              "PUT /v2/webhook/{id} name " + shown,
              "PUT",
              "/v2/webhook/ID",
              Map.of("name", value),
              "name"));
    }
    for (String value : List.of("a\u0000b", "a\u0007b", "\ud800")) {
      t.add(
          json(
              "POST /v2/webhook description " + show(value),
              "POST",
              "/v2/webhook",
              withValid("description", value),
              "description"));
      t.add(
          json(
              "POST /v2/webhook event " + show(value),
              "POST",
              "/v2/webhook",
              withValid("event", "newLead" + value),
              "event"));
      t.add(
          json(
              "POST /v2/webhook url " + show(value),
              "POST",
              "/v2/webhook",
              withValid("url", "https://x.example/" + value),
              "url"));
      t.add(
          json(
              "POST /v2/webhook url host " + show(value),
              "POST",
              "/v2/webhook",
              withValid("url", "https://x" + value + ".example/"),
              "url"));
      t.add(
          json(
              "POST /v2/event event " + show(value),
              "POST",
              "/v2/event",
              Map.of("event", "newLead" + value),
              "event"));
      // A lone surrogate cannot be sent as UTF-8: its bytes make the whole query or form invalid.
      boolean invalidUtf8 = value.equals("\ud800");
      t.add(
          get(
              "GET /v2/webhook?event=" + show(value),
              "/v2/webhook?event=" + enc("newLead" + value),
              invalidUtf8 ? "API" : "event"));
      t.add(
          get(
              "GET /v2/webhook?name=" + show(value),
              "/v2/webhook?name=" + enc(value),
              invalidUtf8 ? "API" : "name"));
      t.add(
          get(
              "GET /v2/webhook?_order=" + show(value),
              "/v2/webhook?_order=" + enc("name" + value),
              invalidUtf8 ? "API" : "_order"));
      t.add(
          form(
              "POST resend since " + show(value),
              "POST",
              "/v2/webhook/ID/resend",
              Map.of("since", "2020-01-01" + value),
              invalidUtf8 ? "API" : "since"));
    }
    t.add(
        json(
            "POST /v2/webhook url unicode spaces",
            "POST",
            "/v2/webhook",
            withValid("url", "https://x.example/a\u2028b"),
            "url"));
    t.add(
        json(
            "POST /v2/webhook url right-to-left host",
            "POST",
            "/v2/webhook",
            withValid("url", "https://\u202eelpmaxe.x/"),
            "url"));
  }

  private static void metacharactersInTypedParameters(List<Case> t) {
    for (String value : METACHARACTERS) {
      String shown = show(value);
      for (String param : List.of("event", "url", "isEnabled", "batchSize", "retrySchedule")) {
        t.add(
            json(
                "POST /v2/webhook " + param + "=" + shown,
                "POST",
                "/v2/webhook",
                withValid(param, value),
                param));
        t.add(
            form(
                "POST /v2/webhook/{id} " + param + "=" + shown,
                "POST",
                "/v2/webhook/ID",
                Map.of(param, value),
                param));
      }
      for (String param : List.of("event", "_order", "_page", "_count")) {
        t.add(
            get(
                "GET /v2/webhook?" + param + "=" + shown,
                "/v2/webhook?" + param + "=" + enc(value),
                param));
      }
      for (String param : List.of("_page", "_count")) {
        t.add(
            get(
                "GET /v2/webhook-log/{id}?" + param + "=" + shown,
                "/v2/webhook-log/ID?" + param + "=" + enc(value),
                param));
      }
      t.add(
          form(
              "POST resend since=" + shown,
              "POST",
              "/v2/webhook/ID/resend",
              Map.of("since", value),
              "since"));
      t.add(
          form(
              "POST /v2/event event=" + shown,
              "POST",
              "/v2/event",
              Map.of("event", value),
              "event"));
      t.add(
          form(
              "POST /v2/event data=" + shown,
              "POST",
              "/v2/event",
              Map.of("event", "newLead", "data", value),
              "data"));
      t.add(
          json(
              "POST /v2/events event=" + shown,
              "POST",
              "/v2/events",
              List.of(Map.of("event", value)),
              "events[0].event"));
    }
  }

  /** Ids of every route: hostile, malformed, or another type's, raw and URL-encoded. */
  private static void metacharactersInIds(List<Case> t) {
    List<String> ids = new ArrayList<>();
    for (String value : METACHARACTERS) {
      ids.add(enc(value));
    }
    ids.addAll(
        List.of(
            "ID%27",
            "ID%20",
            "ID;",
            "IDx",
            "ID%2F..",
            "..%2F..%2Fv2%2Fme",
            "%2e%2e%2fme",
            "%2F",
            "ID%00",
            "0WA",
            "0WAAAAAAAAAAAAA",
            "0wa" + "a".repeat(12),
            "0WB" + "A".repeat(12),
            "0WA" + "A".repeat(10_000),
            enc("0WAé" + "A".repeat(11)),
            "%E0%A4%A",
            "%FF",
            "%",
            "-1",
            "null",
            "undefined",
            "*"));
    for (String id : ids) {
      t.add(idCase("GET /v2/webhook/" + id, "GET", "/v2/webhook/" + id, null));
      t.add(idCase("POST /v2/webhook/" + id, "POST", "/v2/webhook/" + id, "name=Renamed"));
      t.add(idCase("PUT /v2/webhook/" + id, "PUT", "/v2/webhook/" + id, "name=Renamed"));
      t.add(idCase("DELETE /v2/webhook/" + id, "DELETE", "/v2/webhook/" + id, null));
      t.add(
          idCase(
              "POST /v2/webhook/" + id + "/rotate-secret",
              "POST",
              "/v2/webhook/" + id + "/rotate-secret",
              ""));
      t.add(
          idCase(
              "POST /v2/webhook/" + id + "/resend", "POST", "/v2/webhook/" + id + "/resend", ""));
      t.add(idCase("GET /v2/webhook-log/" + id, "GET", "/v2/webhook-log/" + id, null));
    }
  }

  private static void badAuthorization(List<Case> t) {
    for (String header :
        List.of(
            "Basic !!!",
            "Basic",
            "Bearer token",
            "Basic " + b64("no-colon"),
            "Basic " + b64("' OR 1=1 --:x"),
            "Basic " + b64(":"),
            "Basic " + b64("001AAAAAAAAAAAA:" + "k".repeat(10_000)),
            "Basic " + b64("\u0000:\u0000"),
            "Basic " + b64("x".repeat(100) + ":key"))) {
      t.add(
          new Case(
              "Authorization " + abbreviate(header),
              (api, id) -> api.postJson("/v2/webhook", "{}", Map.of("Authorization", header)),
              "API",
              header.length() > 8_000 ? 0 : 401));
    }
  }

  // Building rows.

  private static Map<String, String> valid(Map<String, String> overrides) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("event", "newLead");
    form.put("name", "Bad input");
    form.put("url", "https://x.example/");
    form.putAll(overrides);
    return form;
  }

  private static Map<String, Object> withValid(String param, Object value) {
    Map<String, Object> body = new LinkedHashMap<>(valid(Map.of()));
    body.put(param, value);
    return body;
  }

  private static Case raw(String name, String method, String path, String type, String body) {
    return raw(name, method, path, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static Case raw(String name, String method, String path, String type, byte[] body) {
    byte[] sent = method.equals("GET") ? null : body;
    return new Case(
        name, (api, id) -> api.raw(method, path.replace("ID", id), type, sent), null, 0);
  }

  private static Case json(String name, String method, String path, Object body, String field) {
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new Case(
        name,
        (api, id) -> api.raw(method, path.replace("ID", id), "application/json", bytes),
        field,
        400);
  }

  private static Case form(
      String name, String method, String path, Map<String, String> form, String field) {
    StringBuilder body = new StringBuilder();
    form.forEach(
        (k, v) -> body.append(body.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v)));
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    return new Case(
        name,
        (api, id) ->
            api.raw(method, path.replace("ID", id), "application/x-www-form-urlencoded", bytes),
        field,
        400);
  }

  private static Case get(String name, String path, String field) {
    return new Case(name, (api, id) -> api.get(path.replace("ID", id)), field, 400);
  }

  private static Case idCase(String name, String method, String path, String formBody) {
    byte[] body = formBody == null ? null : formBody.getBytes(StandardCharsets.UTF_8);
    return new Case(
        name,
        (api, id) ->
            api.raw(
                method,
                path.replace("ID", id),
                body == null ? null : "application/x-www-form-urlencoded",
                body),
        null,
        0);
  }

  private static void assertOktopostError(String what, Answer answer) {
    assertThat(answer.json()).as("%s: a JSON body", what).isNotNull();
    assertThat(answer.json().at("/Result").isBoolean() && !answer.json().at("/Result").asBoolean())
        .as(what)
        .isTrue();
    JsonNode errors = answer.json().at("/Errors");
    assertThat(errors.isObject() && !errors.isEmpty()).as(what).isTrue();
    errors.forEach(
        error -> {
          assertThat(error.at("/Error").isTextual()).as(what).isTrue();
          assertThat(error.at("/Error").asText()).as(what).isNotBlank();
        });
    assertThat(answer.text())
        .as(what)
        .doesNotContain("Exception")
        .doesNotContain("\tat ")
        .doesNotContain("org.eclipse")
        .doesNotContain("com.fasterxml")
        .doesNotContainIgnoringCase("jackson")
        .doesNotContain("StreamRead")
        .doesNotContain("`")
        .doesNotContain("io.hookwire")
        .doesNotContainIgnoringCase("sqlite")
        .doesNotContainIgnoringCase("postgres")
        .doesNotContain("SQL");
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String escape(String field) {
    return field.replace("~", "~0").replace("/", "~1");
  }

  /**
   * Percent-encoded UTF-8; a lone surrogate, which UTF-8 cannot carry, is written as the three
   * bytes a careless encoder would produce ({@code %ED%A0%80}), so it arrives as invalid UTF-8.
   */
  private static String enc(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean paired =
          Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1));
      if (paired) {
        out.append(URLEncoder.encode(s.substring(i, i + 2), StandardCharsets.UTF_8));
        i++;
      } else if (Character.isSurrogate(c)) {
        out.append(
            String.format(
                "%%%02X%%%02X%%%02X",
                0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)));
      } else {
        out.append(URLEncoder.encode(String.valueOf(c), StandardCharsets.UTF_8));
      }
    }
    return out.toString().replace("+", "%20");
  }

  private static String b64(String s) {
    return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String show(Object value) {
    String s = String.valueOf(value);
    StringBuilder out = new StringBuilder();
    s.codePoints()
        .forEach(
            cp -> {
              if (cp < 0x20
                  || cp == 0x7f
                  || (cp >= 0x80 && cp < 0xa0)
                  || Character.isSurrogate((char) cp)) {
                out.append(String.format("\\u%04x", cp));
              } else {
                out.appendCodePoint(cp);
              }
            });
    return abbreviate(out.toString());
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…(" + s.length() + ")" : s;
  }
}
