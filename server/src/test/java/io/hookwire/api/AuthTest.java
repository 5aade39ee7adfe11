package io.hookwire.api;

import static io.hookwire.api.ApiTestSupport.allWebhooks;
import static io.hookwire.api.ApiTestSupport.assertError;
import static io.hookwire.api.ApiTestSupport.createWebhook;
import static io.hookwire.api.ApiTestSupport.fieldNames;
import static io.hookwire.api.ApiTestSupport.form;
import static io.hookwire.api.ApiTestSupport.newCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwire.api.ApiTestSupport.Credentials;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ApiClient.Answer;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** HTTP Basic auth with Account ID and API key, as Oktopost's API takes it, on every route. */
class AuthTest {
  /** Every test here fails on purpose, all from 127.0.0.1: the throttle has its own test. */
  @RegisterExtension
  static final SharedServers servers =
      new SharedServers(c -> c.toBuilder().failedAuthLimit(0).build());

  private static final OkHttpClient HTTP = new OkHttpClient();

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void meAnswersTheAccountOfTheCredentials(StoreKind kind) {
    TestServer server = servers.on(kind);
    servers.clock.set("2017-05-23 14:07:18");
    Credentials credentials = newCredentials(server, "Marketing team");
    ApiClient api = server.api().as(credentials.accountId(), credentials.apiKey());

    Answer me = api.get("/v2/me");

    assertThat(me.status()).isEqualTo(200);
    assertThat(fieldNames(me.json())).containsExactly("Result", "User", "Account");
    assertThat(me.json().get("Result").booleanValue()).isTrue();
    // The shape Oktopost's SDK reads (MeResponse); the API key is the account's, so is the user.
    JsonNode user = me.json().get("User");
    assertThat(fieldNames(user)).containsExactly("Id", "Name", "Email", "LastLogin");
    assertThat(user.get("Id").asText()).isEqualTo(credentials.accountId());
    assertThat(user.get("Name").asText()).isEqualTo("Marketing team");
    assertThat(user.get("Email").asText()).isEmpty();
    assertThat(user.get("LastLogin").asText()).isEmpty();
    JsonNode account = me.json().get("Account");
    assertThat(fieldNames(account)).containsExactly("Id", "Name", "Created");
    assertThat(account.get("Id").asText()).isEqualTo(credentials.accountId()).matches("001\\w{12}");
    assertThat(account.get("Name").asText()).isEqualTo("Marketing team");
    assertThat(account.get("Created").asText()).matches(ApiTestSupport.API_DATE);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void requestWithoutCredentialsIsRefusedWithAChallenge(StoreKind kind) {
    TestServer server = servers.on(kind);

    Answer answer = new ApiClient(server.baseUrl(), null, null).get("/v2/webhook");

    assertUnauthorized(answer);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void wrongKeyUnknownAccountAndAnotherAccountsKeyAreRefusedAlike(StoreKind kind) {
    TestServer server = servers.on(kind);
    Credentials mine = newCredentials(server, "Mine");
    Credentials other = newCredentials(server, "Other");
    ApiClient api = server.api();

    Answer wrongKey = api.as(mine.accountId(), mine.apiKey() + "x").get("/v2/me");
    Answer unknownAccount = api.as("001000000000000", mine.apiKey()).get("/v2/me");
    Answer othersKey = api.as(mine.accountId(), other.apiKey()).get("/v2/me");
    Answer emptyKey = api.as(mine.accountId(), "").get("/v2/me");

    for (Answer answer : List.of(wrongKey, unknownAccount, othersKey, emptyKey)) {
      assertUnauthorized(answer);
      // The same words whatever was wrong: the answer does not tell which accounts exist.
      assertThat(answer.text()).isEqualTo(wrongKey.text());
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void malformedAuthorizationHeadersAreRefused(StoreKind kind) {
    TestServer server = servers.on(kind);
    Credentials mine = newCredentials(server, "Malformed");
    String good = base64(mine.userAndPassword());

    for (String header :
        List.of(
            "Basic",
            "Basic ",
            "Basic !!!not-base64!!!",
            "Basic " + base64(mine.accountId()),
            "Basic " + base64(":"),
            "Basic " + base64(":" + mine.apiKey()),
            "Basic " + good.substring(0, good.length() - 4),
            "Bearer " + mine.apiKey(),
            "Bearer " + good,
            good,
            mine.userAndPassword(),
            "Basic " + base64("a".repeat(2_000) + ":" + mine.apiKey()))) {
      assertUnauthorized(getWithAuthorization(server, "/v2/me", header));
    }
    assertThat(getWithAuthorization(server, "/v2/me", "basic " + good).status())
        .as("the scheme is case-insensitive (RFC 9110)")
        .isEqualTo(200);
  }

  static Stream<Arguments> routes() {
    List<Arguments> routes = new ArrayList<>();
    for (StoreKind kind : StoreKind.values()) {
      for (String route :
          List.of(
              "GET /v2/me",
              "GET /v2/webhook",
              "POST /v2/webhook",
              "GET /v2/webhook/{id}",
              "POST /v2/webhook/{id}",
              "PUT /v2/webhook/{id}",
              "DELETE /v2/webhook/{id}",
              "POST /v2/webhook/{id}/rotate-secret",
              "POST /v2/webhook/{id}/resend",
              "GET /v2/webhook-log/{id}",
              "POST /v2/event",
              "POST /v2/events")) {
        routes.add(Arguments.of(kind, route));
      }
    }
    return routes.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("routes")
  void everyRouteRefusesAWrongKeyAndChangesNothing(StoreKind kind, String route) {
    TestServer server = servers.on(kind);
    Credentials owner = newCredentials(server, "Owner");
    ApiClient api = server.api().as(owner.accountId(), owner.apiKey());
    String id = createWebhook(api, "name=Kept");
    JsonNode before = allWebhooks(api);
    String method = route.substring(0, route.indexOf(' '));
    String path = route.substring(method.length() + 1).replace("{id}", id);
    ApiClient intruder = api.as(owner.accountId(), "not-the-key");
    byte[] body =
        path.endsWith("/events")
            ? "[{\"event\":\"newLead\"}]".getBytes(StandardCharsets.UTF_8)
            : "event=newLead&name=Intruder&url=https://evil.example.com&isEnabled=0"
                .getBytes(StandardCharsets.UTF_8);
    String type =
        path.endsWith("/events") ? "application/json" : "application/x-www-form-urlencoded";

    Answer answer = intruder.raw(method, path, type, method.equals("GET") ? null : body);

    assertUnauthorized(answer);
    assertThat(allWebhooks(api)).isEqualTo(before);
    assertThat(api.get("/v2/webhook-log/" + id).json().get("Total").asInt()).isZero();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void healthNeedsNoCredentials(StoreKind kind) {
    TestServer server = servers.on(kind);

    Answer health = new ApiClient(server.baseUrl(), null, null).get("/health");

    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("Result").booleanValue()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void credentialsKeepWorkingAfterAFailedAttempt(StoreKind kind) {
    TestServer server = servers.on(kind);
    Credentials mine = newCredentials(server, "Retry");
    ApiClient api = server.api().as(mine.accountId(), mine.apiKey());

    assertUnauthorized(api.as(mine.accountId(), "wrong").postForm("/v2/webhook", form()));

    assertThat(api.get("/v2/me").status()).isEqualTo(200);
  }

  private static void assertUnauthorized(Answer answer) {
    assertError(answer, 401, "API");
    assertThat(answer.headers().get("WWW-Authenticate")).startsWith("Basic realm=");
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A GET with this exact Authorization header, which ApiClient would compute itself. */
  private static Answer getWithAuthorization(TestServer server, String path, String header) {
    Request request =
        new Request.Builder().url(server.baseUrl() + path).header("Authorization", header).build();
    try (Response response = HTTP.newCall(request).execute()) {
      String text = response.body().string();
      JsonNode json = null;
      try {
        json = text.isEmpty() ? null : new ObjectMapper().readTree(text);
      } catch (IOException notJson) {
        // left null: the assertion shows the text
      }
      return new Answer(response.code(), json, text, response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
