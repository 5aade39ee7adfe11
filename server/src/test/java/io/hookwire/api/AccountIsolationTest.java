package io.hookwire.api;

import static io.hookwire.api.ApiTestSupport.allWebhooks;
import static io.hookwire.api.ApiTestSupport.assertError;
import static io.hookwire.api.ApiTestSupport.createWebhook;
import static io.hookwire.api.ApiTestSupport.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.core.Ids;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ApiClient.Answer;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.RecordingReceiver.Received;
import io.hookwire.testing.StoreKind;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One account cannot see or touch another's webhooks, and cannot even learn that an id exists:
 * another account's webhook answers exactly as a webhook that does not exist.
 */
class AccountIsolationTest {
  @RegisterExtension static final SharedServers servers = new SharedServers();

  /** A route on a webhook id, as another account would call it. */
  record Route(String name, BiFunction<ApiClient, String, Answer> call) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Route> webhookRoutes() {
    return List.of(
        new Route("GET /v2/webhook/{id}", (api, id) -> api.get("/v2/webhook/" + id)),
        new Route(
            "POST /v2/webhook/{id}",
            (api, id) -> api.postForm("/v2/webhook/" + id, form("name=Taken", "isEnabled=0"))),
        new Route(
            "PUT /v2/webhook/{id}",
            (api, id) ->
                api.putForm("/v2/webhook/" + id, form("url=https://evil.example.com/steal"))),
        new Route("DELETE /v2/webhook/{id}", (api, id) -> api.delete("/v2/webhook/" + id)),
        new Route("GET /v2/webhook-log/{id}", (api, id) -> api.get("/v2/webhook-log/" + id)),
        new Route(
            "POST /v2/webhook/{id}/rotate-secret",
            (api, id) -> api.postForm("/v2/webhook/" + id + "/rotate-secret", form())),
        new Route(
            "POST /v2/webhook/{id}/resend",
            (api, id) -> api.postForm("/v2/webhook/" + id + "/resend", form())));
  }

  static Stream<Arguments> storesAndRoutes() {
    List<Arguments> cases = new ArrayList<>();
    for (StoreKind kind : StoreKind.values()) {
      webhookRoutes().forEach(route -> cases.add(Arguments.of(kind, route)));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("storesAndRoutes")
  void anotherAccountsWebhookIsNotFoundAndStaysUnchanged(StoreKind kind, Route route) {
    ApiClient alice = servers.on(kind).newAccount("Alice");
    ApiClient bob = servers.on(kind).newAccount("Bob");
    servers.clock.set("2024-01-01 00:00:00");
    String id = createWebhook(alice, "name=Alice's CRM", "description=hers");
    JsonNode before = allWebhooks(alice);
    // A later clock: a change that slipped through would show in Modified.
    servers.clock.set("2024-06-01 00:00:00");

    Answer answer = route.call().apply(bob, id);
    Answer nonexistent = route.call().apply(bob, Ids.WEBHOOK.next());

    assertError(answer, 404, "API");
    assertThat(answer.text())
        .as("the same answer as for an id that does not exist")
        .isEqualTo(nonexistent.text());
    assertThat(allWebhooks(alice)).isEqualTo(before);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void listShowsOnlyTheAccountsOwnWebhooks(StoreKind kind) {
    ApiClient alice = servers.on(kind).newAccount("Alice");
    ApiClient bob = servers.on(kind).newAccount("Bob");
    String crm = createWebhook(alice, "name=CRM", "event=newLead");
    String slack = createWebhook(alice, "name=Slack", "event=postSent");
    String bobs = createWebhook(bob, "name=CRM", "event=newLead");

    assertThat(ids(alice.get("/v2/webhook"))).containsExactly(crm, slack);
    assertThat(alice.get("/v2/webhook").json().get("Total").asInt()).isEqualTo(2);
    assertThat(ids(bob.get("/v2/webhook"))).containsExactly(bobs);
    assertThat(ids(bob.get("/v2/webhook?event=postSent"))).isEmpty();
    assertThat(ids(bob.get("/v2/webhook?name=slack"))).isEmpty();
    assertThat(bob.get("/v2/webhook?name=crm").json().get("Total").asInt()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void anotherAccountCannotRotateTheSecretThatSignsDeliveries(StoreKind kind) throws Exception {
    // End to end: the Secret never shows after creation, so the only proof that another
    // account's rotation did nothing is a real delivery still signed with the original Secret.
    try (RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient alice = servers.on(kind).newAccount("Alice");
      ApiClient bob = servers.on(kind).newAccount("Bob");
      Answer created =
          alice.postForm(
              "/v2/webhook", form("event=newLead", "name=CRM", "url=" + receiver.url("/crm")));
      String id = created.json().at("/Webhook/Id").asText();
      String secret = created.json().at("/Webhook/Secret").asText();

      assertError(bob.postForm("/v2/webhook/" + id + "/rotate-secret", form()), 404, "API");
      alice.postJson("/v2/event", "{\"event\":\"newLead\",\"data\":{\"email\":\"a@b.c\"}}");

      await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 1);
      Received delivery = receiver.received().get(0);
      assertThat(delivery.header("X-Oktopost-Signature"))
          .isEqualTo(hmacSha256Hex(secret, delivery.body()));
    }
  }

  private static String hmacSha256Hex(String secret, byte[] body) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  private static List<String> ids(Answer list) {
    assertThat(list.status()).as(list.text()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    list.json().get("Items").forEach(item -> ids.add(item.get("Id").asText()));
    return ids;
  }
}
