package io.hookwire.security;

import static io.hookwire.security.Calls.publishNewLead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ApiClient.Answer;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.RecordingReceiver.Received;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestClock;
import io.hookwire.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Why this exists: a receiver that rotates its secret must not lose a delivery while it switches.
 * For the grace period each delivery carries a Standard Webhooks signature for both secrets, which
 * the ecosystem's own verifier accepts with either; after it, only the new secret signs. API keys
 * rotate through the command line, which returns once the old key is refused by every running
 * server (each trusts an account it read for Auth.CACHE_LIFE).
 */
class SecretRotationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void rotateSecretAnswersLikeCreateWithANewSecret(StoreKind kind) {
    try (TestServer server = TestServer.start(kind)) {
      ApiClient api = server.api();
      Answer created =
          api.postForm(
              "/v2/webhook",
              Map.of("event", "newLead", "name", "CRM", "url", "https://hooks.example.com/crm"));
      JsonNode webhook = created.json().at("/Webhook");
      String id = webhook.at("/Id").asText();

      Answer rotated = api.postForm("/v2/webhook/" + id + "/rotate-secret", Map.of());

      assertThat(rotated.status()).isEqualTo(200);
      assertThat(rotated.json().at("/Result").asBoolean()).isTrue();
      JsonNode after = rotated.json().at("/Webhook");
      assertThat(fieldNames(after)).isEqualTo(fieldNames(webhook));
      for (String field : List.of("Id", "Name", "Description", "Event", "Url", "IsEnabled")) {
        assertThat(after.get(field)).as(field).isEqualTo(webhook.get(field));
      }
      String secret = after.at("/Secret").asText();
      assertThat(secret).matches("[0-9a-f]{64}").isNotEqualTo(webhook.at("/Secret").asText());
      assertThat(api.get("/v2/webhook/" + id).json().at("/Webhook").has("Secret")).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void deliveriesCarryBothSignaturesDuringTheGracePeriodAndOnlyTheNewOneAfter(StoreKind kind)
      throws Exception {
    TestClock clock = TestClock.standing();
    try (RecordingReceiver receiver = new RecordingReceiver();
        TestServer server = TestServer.start(kind, c -> c, b -> b.clock(clock))) {
      ApiClient api = server.api();
      JsonNode created =
          api.postForm(
                  "/v2/webhook",
                  Map.of("event", "newLead", "name", "CRM", "url", receiver.url("/hook")))
              .json()
              .at("/Webhook");
      String id = created.at("/Id").asText();
      String oldSecret = created.at("/Secret").asText();
      String newSecret =
          api.postForm("/v2/webhook/" + id + "/rotate-secret", Map.of())
              .json()
              .at("/Webhook/Secret")
              .asText();

      publishNewLead(api);
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
      Received during = receiver.received().get(0);

      assertThat(during.header("webhook-signature").split(" ")).hasSize(2);
      new Webhook(whsec(oldSecret)).verify(during.bodyText(), headers(during));
      new Webhook(whsec(newSecret)).verify(during.bodyText(), headers(during));
      assertThat(during.header("X-Oktopost-Signature"))
          .isEqualTo(Hmac.hex("HmacSHA256", newSecret, during.body()));
      assertThat(during.header("X-Oktopost-Secret"))
          .isEqualTo(Hmac.hex("HmacSHA1", newSecret, during.body()));

      // The default grace period is 24 hours.
      clock.advance(Duration.ofHours(24).plusSeconds(1));
      publishNewLead(api);
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 2);
      Received after = receiver.received().get(1);

      // The timestamp is a day ahead of the real clock, which the library's tolerance refuses,
      // so the signature is compared with the one the library computes.
      String msgId = after.header("webhook-id");
      long timestamp = Long.parseLong(after.header("webhook-timestamp"));
      assertThat(after.header("webhook-signature"))
          .isEqualTo(new Webhook(whsec(newSecret)).sign(msgId, timestamp, after.bodyText()))
          .doesNotContain(
              new Webhook(whsec(oldSecret))
                  .sign(msgId, timestamp, after.bodyText())
                  .substring("v1,".length()));
      assertThat(after.header("X-Oktopost-Signature"))
          .isEqualTo(Hmac.hex("HmacSHA256", newSecret, after.body()));
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void aSecondRotationRetiresTheFirstSecret(StoreKind kind) throws Exception {
    try (RecordingReceiver receiver = new RecordingReceiver();
        TestServer server = TestServer.start(kind)) {
      ApiClient api = server.api();
      JsonNode created =
          api.postForm(
                  "/v2/webhook",
                  Map.of("event", "newLead", "name", "CRM", "url", receiver.url("/hook")))
              .json()
              .at("/Webhook");
      String id = created.at("/Id").asText();
      List<String> secrets = new ArrayList<>(List.of(created.at("/Secret").asText()));
      for (int i = 0; i < 2; i++) {
        secrets.add(
            api.postForm("/v2/webhook/" + id + "/rotate-secret", Map.of())
                .json()
                .at("/Webhook/Secret")
                .asText());
      }

      publishNewLead(api);
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
      Received delivery = receiver.received().get(0);

      assertThat(delivery.header("webhook-signature").split(" ")).hasSize(2);
      new Webhook(whsec(secrets.get(2))).verify(delivery.bodyText(), headers(delivery));
      new Webhook(whsec(secrets.get(1))).verify(delivery.bodyText(), headers(delivery));
      assertThatThrownBy(
              () ->
                  new Webhook(whsec(secrets.get(0))).verify(delivery.bodyText(), headers(delivery)))
          .isInstanceOf(WebhookVerificationException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void rotateKeyIssuesANewApiKeyAndTheOldOneStopsWorking(StoreKind kind) throws Exception {
    try (TestServer server = TestServer.start(kind)) {
      ApiClient old = server.api();
      // Twice: the second is answered from the server's authentication cache.
      assertThat(old.get("/v2/me").status()).isEqualTo(200);
      assertThat(old.get("/v2/me").status()).isEqualTo(200);

      Cli rotated = cli(server, "account", "rotate-key", "--account", server.accountId, "--json");

      assertThat(rotated.exitCode()).as(rotated.output()).isZero();
      JsonNode printed = JSON.readTree(rotated.output());
      assertThat(printed.at("/AccountId").asText()).isEqualTo(server.accountId);
      String newKey = printed.at("/ApiKey").asText();
      assertThat(newKey).matches("[0-9a-f]{64}").isNotEqualTo(server.apiKey);
      Answer refused = old.get("/v2/me");
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.json().at("/Errors/API/Error").asText()).startsWith("authentication");
      ApiClient renewed = old.as(server.accountId, newKey);
      assertThat(renewed.get("/v2/me").status()).isEqualTo(200);
      assertThat(renewed.get("/v2/me").json().at("/Account/Id").asText())
          .isEqualTo(server.accountId);

      Cli unknown = cli(server, "account", "rotate-key", "--account", "001AAAAAAAAAAAA");
      assertThat(unknown.exitCode()).isEqualTo(1);
      assertThat(unknown.output()).contains("no account 001AAAAAAAAAAAA");
      assertThat(renewed.get("/v2/me").status()).isEqualTo(200);
    }
  }

  private record Cli(int exitCode, String output) {}

  /** Runs {@code hookwire ARGS} as its own process against the server's store. */
  private static Cli cli(TestServer server, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.hookwire.cli.Main");
    command.addAll(List.of(args));
    command.add("--data-dir");
    command.add(server.dataDir.toString());
    server.config.databaseUrl().ifPresent(url -> command.addAll(List.of("--database-url", url)));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("HOOKWIRE_LOG_LEVEL", "WARN");
    // Standard output alone: the JSON; errors are read separately.
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Cli(process.exitValue(), process.exitValue() == 0 ? out : out + err);
  }

  private static String whsec(String secret) {
    return "whsec_" + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, List<String>> headers(Received r) {
    return Map.of(
        "webhook-id", List.of(r.header("webhook-id")),
        "webhook-timestamp", List.of(r.header("webhook-timestamp")),
        "webhook-signature", List.of(r.header("webhook-signature")));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
