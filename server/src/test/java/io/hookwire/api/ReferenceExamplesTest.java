package io.hookwire.api;

import static io.hookwire.api.ApiTestSupport.WEBHOOK_FIELDS;
import static io.hookwire.api.ApiTestSupport.WEBHOOK_FIELDS_WITH_SECRET;
import static io.hookwire.api.ApiTestSupport.WEBHOOK_ID;
import static io.hookwire.api.ApiTestSupport.assertError;
import static io.hookwire.api.ApiTestSupport.createWebhook;
import static io.hookwire.api.ApiTestSupport.fieldNames;
import static io.hookwire.api.ApiTestSupport.form;
import static io.hookwire.api.ApiTestSupport.newCredentials;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwire.api.ApiTestSupport.Credentials;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ApiClient.Answer;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each curl example of the API reference, sent as curl sends it (Basic auth, a form body), and its
 * answer checked field for field against the reference's response.
 */
class ReferenceExamplesTest {
  @RegisterExtension static final SharedServers servers = new SharedServers();

  private static final String SLACK_URL = "https://hooks.slack.com/services/...";

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void listExampleAnswersItemsAndTotal(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("List example");
    servers.clock.set("2017-05-23 14:07:18");
    String id =
        createWebhook(
            api,
            "event=newAssignment",
            "name=My Webhook",
            "description=Send new assignment to Slack",
            "url=" + SLACK_URL);

    Answer list = api.get("/v2/webhook");

    assertThat(list.status()).isEqualTo(200);
    assertThat(fieldNames(list.json())).containsExactly("Result", "Items", "Total");
    assertThat(list.json().get("Result").booleanValue()).isTrue();
    assertThat(list.json().get("Total").isIntegralNumber()).isTrue();
    assertThat(list.json().get("Total").asInt()).isEqualTo(1);
    assertThat(list.json().get("Items")).hasSize(1);
    JsonNode item = list.json().get("Items").get(0);
    assertThat(fieldNames(item)).containsExactlyElementsOf(WEBHOOK_FIELDS);
    assertThat(item.get("Id").asText()).isEqualTo(id);
    assertThat(item.get("Name").asText()).isEqualTo("My Webhook");
    assertThat(item.get("Description").asText()).isEqualTo("Send new assignment to Slack");
    assertThat(item.get("Event").asText()).isEqualTo("newAssignment");
    assertThat(item.get("Url").asText()).isEqualTo(SLACK_URL);
    assertThat(item.get("LastExecutionDate").asText()).isEqualTo("-");
    assertThat(item.get("IsEnabled").isInt()).isTrue();
    assertThat(item.get("IsEnabled").intValue()).isEqualTo(1);
    assertThat(item.get("Created").asText()).isEqualTo("2017-05-23 14:07:18");
    assertThat(item.get("Modified").asText()).isEqualTo("2017-05-23 14:07:18");
    assertThat(item.get("RetrySchedule").isNull()).isTrue();
    assertThat(item.get("BatchSize").intValue()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void getExampleAnswersTheWebhookUnderItsKey(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Get example");
    servers.clock.set("2017-05-23 14:07:18");
    String id =
        createWebhook(
            api,
            "event=newAssignment",
            "name=My Webhook",
            "description=Send new assignment to Slack",
            "url=" + SLACK_URL);

    Answer got = api.get("/v2/webhook/" + id);

    assertThat(got.status()).isEqualTo(200);
    assertThat(fieldNames(got.json())).containsExactly("Result", "Webhook");
    assertThat(got.json().get("Result").booleanValue()).isTrue();
    JsonNode webhook = got.json().get("Webhook");
    assertThat(fieldNames(webhook)).containsExactlyElementsOf(WEBHOOK_FIELDS);
    assertThat(webhook.get("Id").asText()).isEqualTo(id);
    assertThat(webhook.get("Name").asText()).isEqualTo("My Webhook");
    assertThat(webhook.get("Description").asText()).isEqualTo("Send new assignment to Slack");
    assertThat(webhook.get("Event").asText()).isEqualTo("newAssignment");
    assertThat(webhook.get("Url").asText()).isEqualTo(SLACK_URL);
    assertThat(webhook.get("LastExecutionDate").asText()).isEqualTo("-");
    assertThat(webhook.get("IsEnabled").intValue()).isEqualTo(1);
    assertThat(webhook.get("Created").asText()).isEqualTo("2017-05-23 14:07:18");
    assertThat(webhook.get("Modified").asText()).isEqualTo("2017-05-23 14:07:18");
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void lastExecutionDateIsTheTimeOfTheLatestRequest(StoreKind kind) {
    // End to end: the reference's list and get show when a webhook last ran, so a real delivery
    // to a real receiver has to move LastExecutionDate from "-" to that time.
    try (RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = servers.on(kind).newAccount("Last execution");
      servers.clock.set("2017-05-23 14:07:18");
      String id = createWebhook(api, "event=newAssignment", "url=" + receiver.url("/slack"));

      servers.clock.set("2024-01-15 10:30:00");
      Answer published =
          api.postJson("/v2/event", "{\"event\":\"newAssignment\",\"data\":{\"id\":\"1\"}}");
      assertThat(published.status()).as(published.text()).isEqualTo(200);

      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> api.get("/v2/webhook/" + id).json().at("/Webhook/LastExecutionDate").asText(),
              date -> date.equals("2024-01-15 10:30:00"));
      assertThat(receiver.received()).hasSize(1);
      JsonNode item = api.get("/v2/webhook").json().at("/Items/0");
      assertThat(item.get("LastExecutionDate").asText()).isEqualTo("2024-01-15 10:30:00");
      assertThat(item.get("Modified").asText())
          .as("a delivery is not a modification")
          .isEqualTo("2017-05-23 14:07:18");
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void createExampleAnswersTheWebhookWithItsSecret(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Create example");
    servers.clock.set("2017-05-23 14:07:18");

    Answer created =
        api.postForm(
            "/v2/webhook",
            form(
                "event=newAssignment",
                "name=Slack Assignment Notification",
                "description=Send assignment notifications to Slack",
                "url=" + SLACK_URL,
                "isEnabled=1"));

    assertThat(created.status()).as(created.text()).isEqualTo(200);
    assertThat(fieldNames(created.json())).containsExactly("Result", "Webhook");
    assertThat(created.json().get("Result").booleanValue()).isTrue();
    JsonNode webhook = created.json().get("Webhook");
    assertThat(fieldNames(webhook)).containsExactlyElementsOf(WEBHOOK_FIELDS_WITH_SECRET);
    assertThat(webhook.get("Id").asText()).matches(WEBHOOK_ID);
    assertThat(webhook.get("Name").asText()).isEqualTo("Slack Assignment Notification");
    assertThat(webhook.get("Description").asText())
        .isEqualTo("Send assignment notifications to Slack");
    assertThat(webhook.get("Event").asText()).isEqualTo("newAssignment");
    assertThat(webhook.get("Url").asText()).isEqualTo(SLACK_URL);
    assertThat(webhook.get("LastExecutionDate").asText()).isEqualTo("-");
    assertThat(webhook.get("IsEnabled").intValue()).isEqualTo(1);
    // At least 160 bits, in hex like the reference's "a1b2c3d4e5f6...".
    assertThat(webhook.get("Secret").asText()).matches("[0-9a-f]{40,}");
    assertThat(webhook.get("Created").asText()).isEqualTo("2017-05-23 14:07:18");
    assertThat(webhook.get("Modified").asText()).isEqualTo("2017-05-23 14:07:18");

    String id = webhook.get("Id").asText();
    assertThat(api.get("/v2/webhook/" + id).json().get("Webhook").has("Secret"))
        .as("the Secret is shown once, on creation")
        .isFalse();
    assertThat(api.get("/v2/webhook").json().at("/Items/0").has("Secret")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void eachCreatedWebhookGetsItsOwnIdAndSecret(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Two webhooks");
    var form = form("event=newLead", "name=CRM", "url=https://crm.example.com/in");

    JsonNode first = api.postForm("/v2/webhook", form).json().get("Webhook");
    JsonNode second = api.postForm("/v2/webhook", form).json().get("Webhook");

    assertThat(second.get("Id").asText()).isNotEqualTo(first.get("Id").asText());
    assertThat(second.get("Secret").asText()).isNotEqualTo(first.get("Secret").asText());
    assertThat(api.get("/v2/webhook").json().get("Total").asInt()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void createWithoutOptionalParametersIsEnabledWithAnEmptyDescription(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Defaults");

    Answer created =
        api.postForm(
            "/v2/webhook", form("event=newLead", "name=CRM", "url=https://crm.example.com/in"));

    assertThat(created.status()).as(created.text()).isEqualTo(200);
    JsonNode webhook = created.json().get("Webhook");
    assertThat(webhook.get("IsEnabled").intValue()).isEqualTo(1);
    assertThat(webhook.get("Description").asText()).isEmpty();
    assertThat(webhook.get("RetrySchedule").isNull()).isTrue();
    assertThat(webhook.get("BatchSize").intValue()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void updateExampleByPostChangesOnlyTheGivenFields(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Update example");
    servers.clock.set("2017-05-23 14:07:18");
    String id =
        createWebhook(
            api,
            "event=newAssignment",
            "name=My Webhook",
            "description=Send new assignment to Slack",
            "url=" + SLACK_URL);

    servers.clock.set("2024-01-16 09:15:32");
    Answer updated =
        api.postForm(
            "/v2/webhook/" + id,
            form("name=Updated Webhook Name", "description=Updated description", "isEnabled=0"));

    assertThat(updated.status()).as(updated.text()).isEqualTo(200);
    assertThat(fieldNames(updated.json())).containsExactly("Result", "Webhook");
    assertThat(updated.json().get("Result").booleanValue()).isTrue();
    JsonNode webhook = updated.json().get("Webhook");
    assertThat(fieldNames(webhook)).containsExactlyElementsOf(WEBHOOK_FIELDS);
    assertThat(webhook.get("Id").asText()).isEqualTo(id);
    assertThat(webhook.get("Name").asText()).isEqualTo("Updated Webhook Name");
    assertThat(webhook.get("Description").asText()).isEqualTo("Updated description");
    assertThat(webhook.get("Event").asText()).isEqualTo("newAssignment");
    assertThat(webhook.get("Url").asText()).isEqualTo(SLACK_URL);
    assertThat(webhook.get("LastExecutionDate").asText()).isEqualTo("-");
    assertThat(webhook.get("IsEnabled").intValue()).isEqualTo(0);
    assertThat(webhook.get("Created").asText()).isEqualTo("2017-05-23 14:07:18");
    assertThat(webhook.get("Modified").asText()).isEqualTo("2024-01-16 09:15:32");
    assertThat(api.get("/v2/webhook/" + id).json().get("Webhook")).isEqualTo(webhook);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void updateByPutChangesOnlyTheGivenFields(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Update by PUT");
    servers.clock.set("2017-05-23 14:07:18");
    String id =
        createWebhook(
            api,
            "event=newAssignment",
            "name=My Webhook",
            "description=Send new assignment to Slack",
            "url=" + SLACK_URL);
    JsonNode before = api.get("/v2/webhook/" + id).json().get("Webhook");

    servers.clock.set("2024-01-16 09:15:32");
    Answer updated =
        api.putForm(
            "/v2/webhook/" + id, form("event=postSent", "url=https://hooks.example.com/posts"));

    assertThat(updated.status()).as(updated.text()).isEqualTo(200);
    JsonNode webhook = updated.json().get("Webhook");
    assertThat(fieldNames(webhook)).containsExactlyElementsOf(WEBHOOK_FIELDS);
    assertThat(webhook.get("Event").asText()).isEqualTo("postSent");
    assertThat(webhook.get("Url").asText()).isEqualTo("https://hooks.example.com/posts");
    assertThat(webhook.get("Modified").asText()).isEqualTo("2024-01-16 09:15:32");
    for (String unchanged :
        List.of("Id", "Name", "Description", "LastExecutionDate", "IsEnabled", "Created")) {
      assertThat(webhook.get(unchanged)).as(unchanged).isEqualTo(before.get(unchanged));
    }
    assertThat(api.get("/v2/webhook/" + id).json().get("Webhook")).isEqualTo(webhook);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void deleteExampleAnswersResultTrueAndTheWebhookIsGone(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Delete example");
    String id = createWebhook(api);
    String kept = createWebhook(api, "name=Kept");

    Answer deleted = api.delete("/v2/webhook/" + id);

    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json()).isEqualTo(new ObjectMapper().createObjectNode().put("Result", true));
    assertError(api.get("/v2/webhook/" + id), 404, "API");
    assertError(api.delete("/v2/webhook/" + id), 404, "API");
    JsonNode list = api.get("/v2/webhook").json();
    assertThat(list.get("Total").asInt()).isEqualTo(1);
    assertThat(list.at("/Items/0/Id").asText()).isEqualTo(kept);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void jsonBodiesWorkLikeFormBodies(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("JSON bodies");
    servers.clock.set("2017-05-23 14:07:18");

    Answer created =
        api.postJson(
            "/v2/webhook",
            """
            {"event": "newAssignment", "name": "Slack Assignment Notification",
             "description": "Send assignment notifications to Slack",
             "url": "https://hooks.slack.com/services/...", "isEnabled": 1}""");

    assertThat(created.status()).as(created.text()).isEqualTo(200);
    JsonNode webhook = created.json().get("Webhook");
    assertThat(fieldNames(webhook)).containsExactlyElementsOf(WEBHOOK_FIELDS_WITH_SECRET);
    assertThat(webhook.get("Name").asText()).isEqualTo("Slack Assignment Notification");
    assertThat(webhook.get("Description").asText())
        .isEqualTo("Send assignment notifications to Slack");
    assertThat(webhook.get("Event").asText()).isEqualTo("newAssignment");
    assertThat(webhook.get("Url").asText()).isEqualTo(SLACK_URL);
    assertThat(webhook.get("IsEnabled").intValue()).isEqualTo(1);
    String id = webhook.get("Id").asText();

    servers.clock.set("2024-01-16 09:15:32");
    Answer byPost =
        api.postJson("/v2/webhook/" + id, "{\"name\": \"Updated Webhook Name\", \"isEnabled\": 0}");
    assertThat(byPost.status()).as(byPost.text()).isEqualTo(200);
    assertThat(byPost.json().at("/Webhook/Name").asText()).isEqualTo("Updated Webhook Name");
    assertThat(byPost.json().at("/Webhook/IsEnabled").intValue()).isEqualTo(0);
    assertThat(byPost.json().at("/Webhook/Modified").asText()).isEqualTo("2024-01-16 09:15:32");

    Answer byPut =
        api.raw(
            "PUT",
            "/v2/webhook/" + id,
            "application/json",
            "{\"description\": \"Updated description\", \"isEnabled\": true}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(byPut.status()).as(byPut.text()).isEqualTo(200);
    JsonNode updated = byPut.json().get("Webhook");
    assertThat(updated.get("Name").asText()).isEqualTo("Updated Webhook Name");
    assertThat(updated.get("Description").asText()).isEqualTo("Updated description");
    assertThat(updated.get("IsEnabled").intValue()).isEqualTo(1);
    assertThat(api.get("/v2/webhook/" + id).json().get("Webhook")).isEqualTo(updated);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void retryScheduleAndBatchSizeAreSetShownAndReset(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Extensions");

    Answer created =
        api.postForm(
            "/v2/webhook",
            form(
                "event=newLead",
                "name=CRM",
                "url=https://crm.example.com/in",
                "retrySchedule=10m,10m,10m,10m,10m",
                "batchSize=25"));

    assertThat(created.status()).as(created.text()).isEqualTo(200);
    assertThat(created.json().at("/Webhook/RetrySchedule").asText())
        .isEqualTo("10m,10m,10m,10m,10m");
    assertThat(created.json().at("/Webhook/BatchSize").intValue()).isEqualTo(25);
    String id = created.json().at("/Webhook/Id").asText();

    // An empty schedule puts the webhook back on the server-wide one.
    Answer reset = api.postForm("/v2/webhook/" + id, form("retrySchedule="));
    assertThat(reset.status()).as(reset.text()).isEqualTo(200);
    assertThat(reset.json().at("/Webhook/RetrySchedule").isNull()).isTrue();
    assertThat(reset.json().at("/Webhook/BatchSize").intValue()).isEqualTo(25);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void realCurlRunsTheReferenceExamplesWithOnlyTheHostChanged(StoreKind kind) throws Exception {
    // End to end: the reference promises copy-paste curl commands. This runs the real curl binary
    // on the examples exactly as printed; only the credentials and the host are filled in.
    TestServer server = servers.on(kind);
    Curl curl = new Curl(newCredentials(server, "Real curl"), server.baseUrl());

    JsonNode created =
        curl.run(
            """
            curl -u ACCOUNT_ID:API_KEY \\
            https://api.oktopost.com/v2/webhook -X POST \\
            -d event="newAssignment" \\
            -d name="Slack Assignment Notification" \\
            -d description="Send assignment notifications to Slack" \\
            -d url="https://hooks.slack.com/services/..." \\
            -d isEnabled=1""");

    assertThat(created.get("Result").booleanValue()).isTrue();
    JsonNode webhook = created.get("Webhook");
    assertThat(fieldNames(webhook)).containsExactlyElementsOf(WEBHOOK_FIELDS_WITH_SECRET);
    assertThat(webhook.get("Id").asText()).matches(WEBHOOK_ID);
    assertThat(webhook.get("Name").asText()).isEqualTo("Slack Assignment Notification");
    assertThat(webhook.get("Description").asText())
        .isEqualTo("Send assignment notifications to Slack");
    assertThat(webhook.get("Event").asText()).isEqualTo("newAssignment");
    assertThat(webhook.get("Url").asText()).isEqualTo(SLACK_URL);
    assertThat(webhook.get("IsEnabled").intValue()).isEqualTo(1);
    assertThat(webhook.get("Secret").asText()).matches("[0-9a-f]{40,}");
    String id = webhook.get("Id").asText();

    JsonNode list =
        curl.run(
            """
            curl -u ACCOUNT_ID:API_KEY \\
            "https://api.oktopost.com/v2/webhook"
            """);
    assertThat(list.get("Total").asInt()).isEqualTo(1);
    assertThat(list.at("/Items/0/Id").asText()).isEqualTo(id);

    JsonNode updated =
        curl.run(
            """
            curl -u ACCOUNT_ID:API_KEY \\
            https://api.oktopost.com/v2/webhook/0WA000000000001 -X POST \\
            -d name="Updated Webhook Name" \\
            -d description="Updated description" \\
            -d isEnabled=0"""
                .replace("0WA000000000001", id));
    assertThat(updated.at("/Webhook/Name").asText()).isEqualTo("Updated Webhook Name");
    assertThat(updated.at("/Webhook/IsEnabled").intValue()).isZero();

    JsonNode got =
        curl.run(
            """
            curl -u ACCOUNT_ID:API_KEY \\
            https://api.oktopost.com/v2/webhook/0WA000000000001"""
                .replace("0WA000000000001", id));
    assertThat(got.get("Webhook")).isEqualTo(updated.get("Webhook"));

    JsonNode deleted =
        curl.run(
            """
            curl -u ACCOUNT_ID:API_KEY \\
            https://api.oktopost.com/v2/webhook/0WA000000000001 -X DELETE"""
                .replace("0WA000000000001", id));
    assertThat(deleted).isEqualTo(new ObjectMapper().createObjectNode().put("Result", true));
  }

  /** Runs a printed curl example against this server, with these credentials. */
  private record Curl(Credentials credentials, String baseUrl) {
    JsonNode run(String example) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>();
      for (String word : shellWords(example)) {
        command.add(
            word.replace("ACCOUNT_ID:API_KEY", credentials.userAndPassword())
                .replace("https://api.oktopost.com", baseUrl));
      }
      Process curl =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out = curl.getInputStream().readAllBytes();
      assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(curl.exitValue()).as("curl's exit code for " + command).isZero();
      return new ObjectMapper().readTree(out);
    }

    /**
     * Splits a command line as a POSIX shell does for these examples: double quotes group and are
     * removed, a backslash before a line break continues the line.
     */
    private static List<String> shellWords(String line) {
      List<String> words = new ArrayList<>();
      StringBuilder word = null;
      boolean quoted = false;
      for (char c : line.toCharArray()) {
        if (c == '"') {
          quoted = !quoted;
          word = word == null ? new StringBuilder() : word;
        } else if (!quoted && (Character.isWhitespace(c) || c == '\\')) {
          if (word != null) {
            words.add(word.toString());
            word = null;
          }
        } else {
          word = word == null ? new StringBuilder() : word;
          word.append(c);
        }
      }
      if (word != null) {
        words.add(word.toString());
      }
      return words;
    }
  }
}
