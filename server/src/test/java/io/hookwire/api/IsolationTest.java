package io.hookwire.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ApiClient.Answer;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Why this exists: accounts share one server and one database. Account B, holding every id of
 * account A, walks every /v2 route with them: each answers as if the ids did not exist, says
 * nothing of A, and A's webhooks, secret, log and subscriptions are exactly as they were.
 */
class IsolationTest {

  /** A route called with one of A's ids, as B. */
  private record Call(String name, Function<ApiClient, Answer> call) {}

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void anotherAccountsIdsAreNotFoundOnEveryRouteAndLeakNothing(StoreKind kind) throws Exception {
    try (TestServer server = TestServer.start(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient a = server.api();
      ApiClient b = server.newAccount("Account B");
      String name = "A-private-hook-name";
      JsonNode created =
          a.postForm(
                  "/v2/webhook",
                  Map.of("event", "newLead", "name", name, "url", receiver.url("/a-private-path")))
              .json()
              .at("/Webhook");
      String id = created.at("/Id").asText();
      String secret = created.at("/Secret").asText();
      JsonNode published =
          a.postJson(
                  "/v2/event",
                  "{\"event\":\"newLead\",\"data\":{\"email\":\"a@example.com\"}}",
                  Map.of("Idempotency-Key", "shared-key"))
              .json()
              .at("/Event");
      String eventId = published.at("/Id").asText();
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
      JsonNode log = awaitLog(a, id);
      String logId = log.at("/Items/0/Id").asText();
      String payloadId = log.at("/Items/0/WebhookPayloadId").asText();
      JsonNode listBefore = a.get("/v2/webhook").json();
      JsonNode webhookBefore = a.get("/v2/webhook/" + id).json();
      JsonNode logBefore = a.get("/v2/webhook-log/" + id).json();
      List<String> secretsOfA =
          List.of(id, name, "a-private-path", secret, server.accountId, logId, payloadId, eventId);

      List<Call> notFound =
          List.of(
              new Call("GET webhook", c -> c.get("/v2/webhook/" + id)),
              new Call("POST webhook", c -> c.postForm("/v2/webhook/" + id, Map.of("name", "X"))),
              new Call(
                  "PUT webhook", c -> c.putForm("/v2/webhook/" + id, Map.of("isEnabled", "0"))),
              new Call(
                  "POST webhook json",
                  c -> c.postJson("/v2/webhook/" + id, "{\"url\":\"https://b.example.com/\"}")),
              new Call("DELETE webhook", c -> c.delete("/v2/webhook/" + id)),
              new Call(
                  "rotate-secret",
                  c -> c.postForm("/v2/webhook/" + id + "/rotate-secret", Map.of())),
              new Call("resend", c -> c.postForm("/v2/webhook/" + id + "/resend", Map.of())),
              new Call(
                  "resend since",
                  c ->
                      c.postForm(
                          "/v2/webhook/" + id + "/resend", Map.of("since", "2000-01-01 00:00:00"))),
              new Call("log", c -> c.get("/v2/webhook-log/" + id)),
              new Call("log page", c -> c.get("/v2/webhook-log/" + id + "?_page=0&_count=100")),
              new Call("log by log id", c -> c.get("/v2/webhook-log/" + logId)),
              new Call("log by payload id", c -> c.get("/v2/webhook-log/" + payloadId)),
              new Call("webhook by event id", c -> c.get("/v2/webhook/" + eventId)),
              new Call("webhook by account id", c -> c.get("/v2/webhook/" + server.accountId)));

      for (Call call : notFound) {
        Answer answer = call.call().apply(b);
        assertThat(answer.status()).as(call.name() + ": " + answer.text()).isEqualTo(404);
        assertThat(answer.json().at("/Result").asBoolean(true)).as(call.name()).isFalse();
        assertThat(answer.json().at("/Errors/API/Error").asText())
            .as(call.name())
            .isEqualTo("Webhook not found");
        assertLeaksNothing(call.name(), answer, secretsOfA);
      }

      // Routes without ids: B's view holds only B.
      Answer me = b.get("/v2/me");
      assertThat(me.json().at("/Account/Name").asText()).isEqualTo("Account B");
      assertLeaksNothing("me", me, secretsOfA);
      for (String query :
          List.of("", "?name=" + name, "?event=newLead", "?name=A", "?_count=100")) {
        Answer list = b.get("/v2/webhook" + query);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().at("/Total").asInt()).as(query).isZero();
        assertLeaksNothing("list " + query, list, secretsOfA);
      }
      // B's events reach no webhook of A's; A's idempotency key means nothing to B.
      Answer event =
          b.postJson(
              "/v2/event",
              "{\"event\":\"newLead\",\"data\":{\"email\":\"b@example.com\"}}",
              Map.of("Idempotency-Key", "shared-key"));
      assertThat(event.json().at("/Event/Payloads").asInt()).isZero();
      assertThat(event.json().at("/Event/Duplicate").asBoolean()).isFalse();
      assertLeaksNothing("event", event, secretsOfA);
      Answer events =
          b.postJson(
              "/v2/events",
              "[{\"event\":\"newLead\",\"data\":{},\"idempotencyKey\":\"shared-key\"},"
                  + "{\"event\":\"newLead\",\"data\":{}}]");
      assertThat(events.json().at("/Items/0/Payloads").asInt()).isZero();
      assertThat(events.json().at("/Items/1/Payloads").asInt()).isZero();
      assertLeaksNothing("events", events, secretsOfA);

      // A's data is unchanged, and its secret still signs its deliveries.
      assertThat(a.get("/v2/webhook").json()).isEqualTo(listBefore);
      assertThat(a.get("/v2/webhook/" + id).json()).isEqualTo(webhookBefore);
      assertThat(a.get("/v2/webhook-log/" + id).json()).isEqualTo(logBefore);
      assertThat(receiver.received()).hasSize(1);
      a.postJson("/v2/event", "{\"event\":\"newLead\",\"data\":{\"n\":2}}");
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 2);
      var second = receiver.received().get(1);
      assertThat(second.header("X-Oktopost-Signature"))
          .isEqualTo(hmacSha256(secret, second.body()));
      assertThat(second.header("webhook-signature").split(" ")).hasSize(1);
    }
  }

  private static void assertLeaksNothing(String what, Answer answer, List<String> secretsOfA) {
    for (String secret : secretsOfA) {
      assertThat(answer.text()).as(what).doesNotContain(secret);
    }
  }

  private static JsonNode awaitLog(ApiClient api, String id) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.get("/v2/webhook-log/" + id).json(), log -> log.at("/Total").asInt() >= 1);
  }

  private static String hmacSha256(String secret, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }
}
