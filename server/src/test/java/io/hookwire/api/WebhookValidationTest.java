package io.hookwire.api;

import static io.hookwire.api.ApiTestSupport.allWebhooks;
import static io.hookwire.api.ApiTestSupport.assertError;
import static io.hookwire.api.ApiTestSupport.createWebhook;
import static io.hookwire.api.ApiTestSupport.errorOf;
import static io.hookwire.api.ApiTestSupport.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.config.Config;
import io.hookwire.core.Json;
import io.hookwire.service.Webhooks;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ApiClient.Answer;
import io.hookwire.testing.ConfigEditor;
import io.hookwire.testing.StoreKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a create or update can be wrong answers 400 in Oktopost's error shape, naming each
 * wrong field, and changes nothing stored.
 */
class WebhookValidationTest {
  @RegisterExtension static final SharedServers servers = new SharedServers();

  /** Servers as deployed: https:// only, no private addresses. */
  @RegisterExtension
  static final SharedServers strictServers =
      new SharedServers(WebhookValidationTest::refusingPrivateTargets);

  private static final String VALID_URL = "url=https://hooks.example.com/in";

  /** One parameter with a wrong value, and the field the answer must name. */
  record Invalid(String parameter, String field) {
    @Override
    public String toString() {
      String shown = parameter.length() > 40 ? parameter.substring(0, 40) + "…" : parameter;
      return shown.replaceAll("\\p{Cntrl}", "^");
    }
  }

  /** Wrong whether creating or updating. */
  static List<Invalid> invalidValues() {
    return List.of(
        new Invalid("event=newThing", "event"),
        new Invalid("event=NEWLEAD", "event"),
        new Invalid("event=", "event"),
        new Invalid("url=not a url", "url"),
        new Invalid("url=hooks.example.com/in", "url"),
        new Invalid("url=https://", "url"),
        new Invalid("url=ftp://files.example.com/in", "url"),
        new Invalid("url=https://user:password@hooks.example.com/in", "url"),
        new Invalid("url=https://hooks.example.com/in#fragment", "url"),
        new Invalid("url=https://hooks.example.com/" + "a".repeat(2048), "url"),
        new Invalid("url=", "url"),
        new Invalid("name=", "name"),
        new Invalid("name=   ", "name"),
        new Invalid("name=" + "n".repeat(Webhooks.MAX_NAME + 1), "name"),
        new Invalid("name=bell\u0007", "name"),
        new Invalid("name=two\nlines", "name"),
        new Invalid("name=nul\u0000", "name"),
        new Invalid("description=" + "d".repeat(Webhooks.MAX_DESCRIPTION + 1), "description"),
        new Invalid("description=escape\u001b[31m", "description"),
        new Invalid("isEnabled=2", "isEnabled"),
        new Invalid("isEnabled=yes", "isEnabled"),
        new Invalid("isEnabled=", "isEnabled"),
        new Invalid("batchSize=0", "batchSize"),
        new Invalid("batchSize=101", "batchSize"),
        new Invalid("batchSize=ten", "batchSize"),
        new Invalid("retrySchedule=5 seconds", "retrySchedule"),
        new Invalid("retrySchedule=5s,,25s", "retrySchedule"),
        new Invalid("retrySchedule=8d", "retrySchedule"),
        new Invalid("retrySchedule=-5s", "retrySchedule"),
        new Invalid("retrySchedule=" + "1s,".repeat(25) + "1s", "retrySchedule"));
  }

  static Stream<Arguments> storesAndInvalidValues() {
    List<Arguments> cases = new ArrayList<>();
    for (StoreKind kind : StoreKind.values()) {
      invalidValues().forEach(invalid -> cases.add(Arguments.of(kind, invalid)));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("storesAndInvalidValues")
  void createWithAnInvalidValueAnswers400AndStoresNothing(StoreKind kind, Invalid invalid) {
    ApiClient api = servers.on(kind).newAccount("Invalid create");
    createWebhook(api, "name=Existing");
    JsonNode before = allWebhooks(api);
    Map<String, String> form = form("event=newLead", "name=New", VALID_URL);
    form.putAll(form(invalid.parameter()));

    Answer answer = api.postForm("/v2/webhook", form);

    assertError(answer, 400, invalid.field());
    assertThat(errorOf(answer, invalid.field()).toLowerCase(Locale.ROOT))
        .contains(invalid.field().toLowerCase(Locale.ROOT));
    assertThat(allWebhooks(api)).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("storesAndInvalidValues")
  void updateWithAnInvalidValueAnswers400AndChangesNothing(StoreKind kind, Invalid invalid) {
    ApiClient api = servers.on(kind).newAccount("Invalid update");
    servers.clock.set("2024-01-01 00:00:00");
    String id = createWebhook(api, "name=Existing", "description=as created");
    JsonNode before = allWebhooks(api);
    // A later clock: a write that slipped through would show in Modified.
    servers.clock.set("2024-06-01 00:00:00");

    Answer byPost = api.postForm("/v2/webhook/" + id, form(invalid.parameter()));
    Answer byPut = api.putForm("/v2/webhook/" + id, form(invalid.parameter()));

    assertError(byPost, 400, invalid.field());
    assertError(byPut, 400, invalid.field());
    assertThat(allWebhooks(api)).isEqualTo(before);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void createWithoutEventNameOrUrlNamesEachMissingOne(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Missing parameters");

    assertError(api.postForm("/v2/webhook", form("name=CRM", VALID_URL)), 400, "event");
    assertError(api.postForm("/v2/webhook", form("event=newLead", VALID_URL)), 400, "name");
    assertError(api.postForm("/v2/webhook", form("event=newLead", "name=CRM")), 400, "url");
    Answer nothing = api.postForm("/v2/webhook", Map.of());
    assertError(nothing, 400, "event", "name", "url");
    assertThat(errorOf(nothing, "event")).isEqualTo("event is required");
    assertThat(allWebhooks(api).get("Total").asInt()).isZero();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void createWithManyInvalidFieldsNamesThemAll(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Many invalid");

    Answer answer =
        api.postForm(
            "/v2/webhook",
            form(
                "event=anything",
                "name=",
                "url=ftp://files.example.com",
                "description=" + "d".repeat(Webhooks.MAX_DESCRIPTION + 1),
                "isEnabled=2",
                "batchSize=0",
                "retrySchedule=soon"));

    assertError(
        answer,
        400,
        "event",
        "name",
        "url",
        "description",
        "isEnabled",
        "batchSize",
        "retrySchedule");
    assertThat(allWebhooks(api).get("Total").asInt()).isZero();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void updateWithValidAndInvalidFieldsAppliesNone(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Partly invalid update");
    String id = createWebhook(api, "name=Existing");
    JsonNode before = api.get("/v2/webhook/" + id).json();

    Answer answer =
        api.postForm(
            "/v2/webhook/" + id,
            form("name=Renamed", "description=new", "isEnabled=0", "batchSize=500", "url=x"));

    assertError(answer, 400, "batchSize", "url");
    assertThat(api.get("/v2/webhook/" + id).json()).isEqualTo(before);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void jsonValuesOfTheWrongTypeAnswer400NamingTheField(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("JSON types");
    String id = createWebhook(api);
    JsonNode before = allWebhooks(api);

    Answer create =
        api.postJson(
            "/v2/webhook",
            """
            {"event": ["newLead"], "name": {"text": "CRM"}, "url": 42,
             "isEnabled": "maybe", "batchSize": 2.5, "retrySchedule": [5, 25]}""");
    assertError(create, 400, "event", "name", "url", "isEnabled", "batchSize", "retrySchedule");

    Answer update =
        api.raw(
            "PUT",
            "/v2/webhook/" + id,
            "application/json",
            "{\"description\": {\"x\": 1}, \"isEnabled\": [1]}".getBytes(StandardCharsets.UTF_8));
    assertError(update, 400, "description", "isEnabled");
    assertThat(allWebhooks(api)).isEqualTo(before);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void httpUrlIsRefusedWhenPrivateTargetsAreNotAllowed(StoreKind kind) {
    ApiClient api = strictServers.on(kind).newAccount("Strict targets");
    String id = createWebhook(api, "url=https://hooks.example.com/in");
    JsonNode before = allWebhooks(api);

    Answer create =
        api.postForm(
            "/v2/webhook", form("event=newLead", "name=Plain", "url=http://hooks.example.com/in"));
    assertError(create, 400, "url");
    assertThat(errorOf(create, "url")).contains("https://");

    Answer update = api.postForm("/v2/webhook/" + id, form("url=http://hooks.example.com/in"));
    assertError(update, 400, "url");
    assertThat(allWebhooks(api)).isEqualTo(before);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void joinersInsideWordsAndEmojiAreKeptInNames(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Joiners");
    // A family emoji is joined by U+200D; Persian "mi-khaham" needs U+200C inside the word.
    for (String name :
        List.of(
            "Team \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67",
            "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645")) {
      Answer create =
          api.postJson(
              "/v2/webhook",
              Json.MAPPER
                  .createObjectNode()
                  .put("event", "newLead")
                  .put("name", name)
                  .put("url", "https://hooks.example.com/in")
                  .toString());

      assertThat(create.status()).as(create.text()).isEqualTo(200);
      assertThat(create.json().at("/Webhook/Name").asText()).isEqualTo(name);
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void httpUrlIsAcceptedWhenPrivateTargetsAreAllowed(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Development targets");

    Answer create =
        api.postForm(
            "/v2/webhook", form("event=newLead", "name=Plain", "url=http://127.0.0.1:9/in"));

    assertThat(create.status()).as(create.text()).isEqualTo(200);
    assertThat(create.json().at("/Webhook/Url").asText()).isEqualTo("http://127.0.0.1:9/in");
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void loopbackAddressesAreRefusedWhenPrivateTargetsAreNotAllowed(StoreKind kind) {
    ApiClient api = strictServers.on(kind).newAccount("Strict loopback");

    for (String url : List.of("https://127.0.0.1/in", "https://localhost/in", "https://[::1]/")) {
      Answer create = api.postForm("/v2/webhook", form("event=newLead", "name=Loop", "url=" + url));
      assertError(create, 400, "url");
    }
    assertThat(allWebhooks(api).get("Total").asInt()).isZero();
  }

  private static Config refusingPrivateTargets(Config c) {
    return ConfigEditor.of(c).allowPrivateTargets(false).build();
  }
}
