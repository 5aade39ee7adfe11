package io.hookwire.api;

import static io.hookwire.api.ApiTestSupport.assertError;
import static io.hookwire.api.ApiTestSupport.createWebhook;
import static io.hookwire.api.ApiTestSupport.errorOf;
import static io.hookwire.api.ApiTestSupport.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ApiClient.Answer;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.StoreKind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The list's filters, orders and pages, as the reference's parameter table describes them. */
class WebhookListTest {
  @RegisterExtension static final SharedServers servers = new SharedServers();

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void eventFilterListsOnlyWebhooksOfThatEvent(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Event filter");
    String crm = createWebhook(api, "event=newLead", "name=CRM");
    String backup = createWebhook(api, "event=newLead", "name=Backup");
    createWebhook(api, "event=postSent", "name=Posts");

    Answer list = api.get("/v2/webhook?event=newLead");

    assertThat(list.status()).isEqualTo(200);
    assertThat(ids(list)).containsExactly(backup, crm);
    assertThat(list.json().get("Total").asInt()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void nameFilterIsACaseInsensitiveSubstring(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Name filter");
    createWebhook(api, "name=Slack alerts");
    createWebhook(api, "name=CRM sync");
    createWebhook(api, "name=Old SLACK backup");

    Answer list = api.get("/v2/webhook?name=" + encode("sLaCk"));

    assertThat(names(list)).containsExactly("Old SLACK backup", "Slack alerts");
    assertThat(list.json().get("Total").asInt()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void nameFilterIgnoresCaseBeyondAscii(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Unicode filter");
    createWebhook(api, "name=Ärger im Büro");
    createWebhook(api, "name=Ärgerlich");
    createWebhook(api, "name=Arger");

    assertThat(names(api.get("/v2/webhook?name=" + encode("Ärger"))))
        .containsExactly("Ärger im Büro", "Ärgerlich");
    assertThat(names(api.get("/v2/webhook?name=" + encode("ärger"))))
        .containsExactly("Ärger im Büro", "Ärgerlich");
    assertThat(names(api.get("/v2/webhook?name=" + encode("BÜRO"))))
        .containsExactly("Ärger im Büro");
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void nameFilterTakesPercentUnderscoreAndBackslashLiterally(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Literal filter");
    for (String name :
        List.of("100% done", "1000 done", "a_b", "axb", "back\\slash", "backslash")) {
      createWebhook(api, "name=" + name);
    }

    assertThat(names(api.get("/v2/webhook?name=" + encode("%")))).containsExactly("100% done");
    assertThat(names(api.get("/v2/webhook?name=" + encode("0% d")))).containsExactly("100% done");
    assertThat(names(api.get("/v2/webhook?name=" + encode("_")))).containsExactly("a_b");
    assertThat(names(api.get("/v2/webhook?name=" + encode("a_b")))).containsExactly("a_b");
    assertThat(names(api.get("/v2/webhook?name=" + encode("\\")))).containsExactly("back\\slash");
    assertThat(names(api.get("/v2/webhook?name=" + encode("k\\s")))).containsExactly("back\\slash");
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void filtersCombineAndTotalCountsOnlyMatches(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Combined filters");
    String wanted = createWebhook(api, "event=newLead", "name=Leads to CRM");
    createWebhook(api, "event=postSent", "name=Posts to CRM");
    createWebhook(api, "event=newLead", "name=Leads to Slack");

    Answer list = api.get("/v2/webhook?event=newLead&name=crm");

    assertThat(ids(list)).containsExactly(wanted);
    assertThat(list.json().get("Total").asInt()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void listIsOrderedByNameByDefaultIgnoringCase(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Default order");
    for (String name : List.of("charlie", "Bravo", "alpha", "Delta")) {
      createWebhook(api, "name=" + name);
    }

    assertThat(names(api.get("/v2/webhook"))).containsExactly("alpha", "Bravo", "charlie", "Delta");
    assertThat(names(api.get("/v2/webhook?_order=name")))
        .containsExactly("alpha", "Bravo", "charlie", "Delta");
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void orderByDescriptionIgnoresCase(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Description order");
    createWebhook(api, "name=a", "description=zulu");
    createWebhook(api, "name=b", "description=alpha");
    createWebhook(api, "name=c", "description=Mike");

    assertThat(names(api.get("/v2/webhook?_order=description"))).containsExactly("b", "c", "a");
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void orderByCreatedIsOldestFirst(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Created order");
    servers.clock.set("2024-03-01 00:00:00");
    createWebhook(api, "name=a");
    servers.clock.set("2024-01-01 00:00:00");
    createWebhook(api, "name=b");
    servers.clock.set("2024-02-01 00:00:00");
    createWebhook(api, "name=c");

    assertThat(names(api.get("/v2/webhook?_order=created"))).containsExactly("b", "c", "a");
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void orderByModifiedFollowsTheLatestUpdate(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Modified order");
    servers.clock.set("2024-01-01 00:00:00");
    String a = createWebhook(api, "name=a");
    String b = createWebhook(api, "name=b");
    createWebhook(api, "name=c");
    servers.clock.set("2024-03-01 00:00:00");
    api.postForm("/v2/webhook/" + a, form("description=touched last"));
    servers.clock.set("2024-02-01 00:00:00");
    api.putForm("/v2/webhook/" + b, form("description=touched first"));

    assertThat(names(api.get("/v2/webhook?_order=modified"))).containsExactly("c", "b", "a");
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void orderByIsEnabledPutsDisabledWebhooksFirst(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Enabled order");
    createWebhook(api, "name=a", "isEnabled=1");
    createWebhook(api, "name=b", "isEnabled=0");
    createWebhook(api, "name=c", "isEnabled=1");

    Answer list = api.get("/v2/webhook?_order=isEnabled");

    List<Integer> enabled = new ArrayList<>();
    list.json().get("Items").forEach(item -> enabled.add(item.get("IsEnabled").intValue()));
    assertThat(enabled).containsExactly(0, 1, 1);
    assertThat(names(list).get(0)).isEqualTo("b");
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void orderByLastExecutionDatePutsNeverRunWebhooksLast(StoreKind kind) {
    // End to end: LastExecutionDate only moves when a real request was made, so ordering by it
    // needs real deliveries at known times.
    try (RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = servers.on(kind).newAccount("Last execution order");
      String url = "url=" + receiver.url("/in");
      createWebhook(api, "name=a never ran", "event=newCampaign", url);
      String late = createWebhook(api, "name=b ran late", "event=newLead", url);
      String early = createWebhook(api, "name=c ran early", "event=postSent", url);

      servers.clock.set("2024-01-01 08:00:00");
      publishAndAwaitRun(api, "postSent", early, "2024-01-01 08:00:00");
      servers.clock.set("2024-01-02 08:00:00");
      publishAndAwaitRun(api, "newLead", late, "2024-01-02 08:00:00");

      assertThat(names(api.get("/v2/webhook?_order=lastExecutionDate")))
          .containsExactly("c ran early", "b ran late", "a never ran");
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void pagesAreZeroBasedAndTotalCountsEveryMatch(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Paging");
    List<String> names = new ArrayList<>();
    for (int i = 22; i >= 0; i--) {
      names.add(0, String.format("w%02d", i));
      createWebhook(api, "name=" + names.get(0));
    }

    Answer first = api.get("/v2/webhook");
    assertThat(names(first)).isEqualTo(names.subList(0, 20));
    assertThat(first.json().get("Total").asInt()).isEqualTo(23);

    Answer second = api.get("/v2/webhook?_page=1&_count=20");
    assertThat(names(second)).isEqualTo(names.subList(20, 23));
    assertThat(second.json().get("Total").asInt()).isEqualTo(23);

    Answer beyond = api.get("/v2/webhook?_page=2");
    assertThat(beyond.status()).isEqualTo(200);
    assertThat(names(beyond)).isEmpty();
    assertThat(beyond.json().get("Total").asInt()).isEqualTo(23);

    Answer twentyFive = api.get("/v2/webhook?_count=25&_page=0");
    assertThat(names(twentyFive)).isEqualTo(names);

    Answer filtered = api.get("/v2/webhook?name=w1&_count=20&_page=0&_order=created");
    assertThat(filtered.json().get("Total").asInt()).isEqualTo(10);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void everyPageSizeOfTheReferenceIsAccepted(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Page sizes");
    for (int i = 0; i < 26; i++) {
      createWebhook(api, "name=" + String.format("w%02d", i));
    }

    assertThat(names(api.get("/v2/webhook?_count=20"))).hasSize(20);
    assertThat(names(api.get("/v2/webhook?_count=25"))).hasSize(25);
    assertThat(names(api.get("/v2/webhook?_count=50"))).hasSize(26);
    assertThat(names(api.get("/v2/webhook?_count=100"))).hasSize(26);
    assertThat(names(api.get("/v2/webhook?_count=25&_page=1"))).containsExactly("w25");
  }

  static Stream<Arguments> invalidListParameters() {
    List<Arguments> cases = new ArrayList<>();
    for (StoreKind kind : StoreKind.values()) {
      cases.add(Arguments.of(kind, "_order=id", "_order"));
      cases.add(Arguments.of(kind, "_order=Name", "_order"));
      cases.add(Arguments.of(kind, "_order=", "_order"));
      cases.add(Arguments.of(kind, "_count=10", "_count"));
      cases.add(Arguments.of(kind, "_count=1000", "_count"));
      cases.add(Arguments.of(kind, "_count=twenty", "_count"));
      cases.add(Arguments.of(kind, "_page=-1", "_page"));
      cases.add(Arguments.of(kind, "_page=first", "_page"));
      cases.add(Arguments.of(kind, "_page=1.5", "_page"));
      cases.add(Arguments.of(kind, "event=newThing", "event"));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("invalidListParameters")
  void invalidListParameterAnswers400NamingIt(StoreKind kind, String query, String field) {
    ApiClient api = servers.on(kind).newAccount("Invalid list parameter");
    createWebhook(api);

    Answer answer = api.get("/v2/webhook?" + query);

    assertError(answer, 400, field);
    assertThat(errorOf(answer, field)).contains(field);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void everyWrongCountGetsTheOneMessageInTheReferencesWords(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Wrong counts");

    for (String count : List.of("7", "0", "1000", "abc", "20.5", "-20")) {
      Answer answer = api.get("/v2/webhook?_count=" + count);

      assertError(answer, 400, "_count");
      assertThat(errorOf(answer, "_count"))
          .as(count)
          .isEqualTo("_count must be one of the options 20, 25, 50, 100");
    }
    assertThat(api.get("/v2/webhook?_count=25").status()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void severalInvalidListParametersAreNamedTogether(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Invalid list parameters");

    Answer answer = api.get("/v2/webhook?_order=newest&_count=7&_page=-3&event=any");

    assertError(answer, 400, "_order", "_count", "_page", "event");
  }

  private static void publishAndAwaitRun(
      ApiClient api, String event, String webhookId, String expectedDate) {
    Answer published = api.postJson("/v2/event", "{\"event\":\"" + event + "\",\"data\":{}}");
    assertThat(published.status()).as(published.text()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                api.get("/v2/webhook/" + webhookId)
                    .json()
                    .at("/Webhook/LastExecutionDate")
                    .asText(),
            expectedDate::equals);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static List<String> ids(Answer list) {
    return field(list, "Id");
  }

  private static List<String> names(Answer list) {
    return field(list, "Name");
  }

  private static List<String> field(Answer list, String field) {
    assertThat(list.status()).as(list.text()).isEqualTo(200);
    List<String> values = new ArrayList<>();
    for (JsonNode item : list.json().get("Items")) {
      values.add(item.get(field).asText());
    }
    return values;
  }
}
