package io.hookwire.api;

import static io.hookwire.api.ApiTestSupport.allWebhooks;
import static io.hookwire.api.ApiTestSupport.assertError;
import static io.hookwire.api.ApiTestSupport.createWebhook;
import static io.hookwire.api.ApiTestSupport.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.Hookwire;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ApiClient.Answer;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Requests the routes cannot take (wrong method, no such route, a body of the wrong type, too large
 * or not JSON) answer a clear 4xx in Oktopost's error shape, and change nothing.
 */
class HttpErrorsTest {
  @RegisterExtension static final SharedServers servers = new SharedServers();

  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String JSON = "application/json";

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void wrongMethodOnARouteAnswers405(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Wrong method");
    String id = createWebhook(api);
    JsonNode before = allWebhooks(api);

    Answer delete = api.delete("/v2/webhook");
    assertError(delete, 405, "API");
    assertThat(delete.headers().get("Allow")).isEqualTo("GET, POST");
    assertError(api.raw("PUT", "/v2/webhook", FORM, bytes("name=x")), 405, "API");
    Answer patch = api.raw("PATCH", "/v2/webhook/" + id, FORM, bytes("name=x"));
    assertError(patch, 405, "API");
    assertThat(patch.headers().get("Allow").split(", "))
        .containsExactlyInAnyOrder("GET", "POST", "PUT", "DELETE");
    assertError(api.get("/v2/webhook/" + id + "/rotate-secret"), 405, "API");
    assertError(api.get("/v2/event"), 405, "API");
    assertError(api.delete("/v2/webhook-log/" + id), 405, "API");
    assertThat(allWebhooks(api)).isEqualTo(before);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void unknownRouteAnswers404(StoreKind kind) {
    TestServer server = servers.on(kind);
    ApiClient api = server.newAccount("Unknown route");
    String id = createWebhook(api);

    assertError(api.get("/v2/webhooks"), 404, "API");
    assertError(api.get("/v2/webhook/" + id + "/secret"), 404, "API");
    assertError(api.postForm("/v1/webhook", ApiTestSupport.form("name=x")), 404, "API");
    assertError(new ApiClient(server.baseUrl(), null, null).get("/nothing-here"), 404, "API");
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void pathsJettyRefusesAnswerInTheErrorShape(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Odd paths");

    Answer nul = api.get("/v2/webhook/a%00b");
    assertError(nul, 400, "API");
    assertError(api.get("/v2/webhook/a%2Fb"), 404, "API");
    assertError(api.get("/v2//webhook"), 404, "API");
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void webhookIdThatCannotExistAnswers404(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Impossible ids");

    for (String id : List.of("0WA000000000001", "0WB000000000001", "nope", "0WA%27%20OR%201=1")) {
      Answer answer = api.get("/v2/webhook/" + id);
      assertError(answer, 404, "API");
      assertThat(errorOf(answer, "API")).isEqualTo("Webhook not found");
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void unsupportedContentTypeAnswers415AndChangesNothing(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Content types");
    String id = createWebhook(api, "name=Kept");
    JsonNode before = allWebhooks(api);
    byte[] form = bytes("event=newLead&name=CRM&url=https://crm.example.com/in");

    assertError(api.raw("POST", "/v2/webhook", "text/plain", form), 415, "API");
    assertError(api.raw("POST", "/v2/webhook", "application/xml", bytes("<name/>")), 415, "API");
    assertError(
        api.raw("POST", "/v2/webhook", "multipart/form-data; boundary=x", form), 415, "API");
    assertError(api.raw("POST", "/v2/webhook", null, form), 415, "API");
    assertError(api.raw("PUT", "/v2/webhook/" + id, "text/plain", bytes("name=x")), 415, "API");
    assertError(api.raw("POST", "/v2/event", "text/plain", bytes("event=newLead")), 415, "API");
    assertError(api.raw("POST", "/v2/events", FORM, bytes("event=newLead")), 415, "API");
    assertThat(allWebhooks(api)).isEqualTo(before);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void bodyOverTheLimitAnswers413AndChangesNothing(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Large bodies");
    String id = createWebhook(api, "name=Kept");
    JsonNode before = allWebhooks(api);
    byte[] large = new byte[(int) Hookwire.MAX_REQUEST_BYTES + 1024 * 1024];
    Arrays.fill(large, (byte) 'a');
    byte[] prefix = bytes("event=newLead&url=https://crm.example.com/in&name=");
    System.arraycopy(prefix, 0, large, 0, prefix.length);

    assertError(api.raw("POST", "/v2/webhook", FORM, large), 413, "API");
    assertError(api.raw("PUT", "/v2/webhook/" + id, FORM, large), 413, "API");
    assertError(api.raw("POST", "/v2/events", JSON, large), 413, "API");
    assertThat(allWebhooks(api)).isEqualTo(before);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void malformedJsonAnswers400AndChangesNothing(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Malformed JSON");
    String id = createWebhook(api, "name=Kept");
    JsonNode before = allWebhooks(api);

    for (String body :
        List.of(
            "{\"event\": \"newLead\",",
            "{\"event\": \"newLead\"} {}",
            "{event: \"newLead\"}",
            "{\"name\": \"x\" /* comment */}",
            "[{\"event\": \"newLead\"}]",
            "\"newLead\"",
            "null",
            "[".repeat(1000) + "]".repeat(1000))) {
      assertError(api.postJson("/v2/webhook", body), 400, "API");
      assertError(api.raw("PUT", "/v2/webhook/" + id, JSON, bytes(body)), 400, "API");
      assertError(api.postJson("/v2/webhook/" + id, body), 400, "API");
      assertError(api.postJson("/v2/event", body), 400, "API");
    }
    assertError(api.postJson("/v2/events", "[{\"event\": \"newLead\"}"), 400, "API");
    assertError(api.postJson("/v2/events", "{\"event\": \"newLead\"}"), 400, "API");
    byte[] notUtf8 = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xff, '"', '}'};
    assertError(api.raw("POST", "/v2/webhook", JSON, notUtf8), 400, "API");
    assertThat(allWebhooks(api)).isEqualTo(before);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void percentSignsThatCurlSendsUnencodedAreTakenLiterally(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Percent signs");

    // curl -d sends its data as typed: -d name="100% done" arrives with a bare %.
    Answer created =
        api.raw(
            "POST",
            "/v2/webhook",
            FORM,
            bytes("event=newLead&url=https://crm.example.com/in&name=100% done, 5%zz"));

    assertThat(created.status()).as(created.text()).isEqualTo(200);
    assertThat(created.json().at("/Webhook/Name").asText()).isEqualTo("100% done, 5%zz");
    createWebhook(api, "name=Other");
    for (String filter : List.of("100%", "5%zz")) {
      Answer found = api.get("/v2/webhook?name=" + filter);
      assertThat(found.status()).as(found.text()).isEqualTo(200);
      assertThat(found.json().get("Total").asInt())
          .as("the filter applies rather than silently listing everything")
          .isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void percentSignInAnUpdateIsAppliedNotIgnored(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Percent update");
    String id = createWebhook(api, "description=full price");

    Answer updated =
        api.raw("POST", "/v2/webhook/" + id, FORM, bytes("description=50% off&name=Sale %"));

    assertThat(updated.status()).as(updated.text()).isEqualTo(200);
    assertThat(updated.json().at("/Webhook/Description").asText()).isEqualTo("50% off");
    assertThat(updated.json().at("/Webhook/Name").asText()).isEqualTo("Sale %");
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void formValuesAreUtf8EscapedOrNot(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("UTF-8 forms");

    Answer raw =
        api.raw(
            "POST",
            "/v2/webhook",
            FORM,
            bytes("event=newLead&url=https://crm.example.com/in&name=Ärger+im Büro 😀"));
    Answer escaped =
        api.raw(
            "POST",
            "/v2/webhook",
            FORM,
            bytes("event=newLead&url=https://crm.example.com/in&name=%C3%84rger+im%20B%C3%BCro"));

    assertThat(raw.json().at("/Webhook/Name").asText()).isEqualTo("Ärger im Büro 😀");
    assertThat(escaped.json().at("/Webhook/Name").asText()).isEqualTo("Ärger im Büro");
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void formOrQueryThatIsNotUtf8Answers400(StoreKind kind) {
    ApiClient api = servers.on(kind).newAccount("Not UTF-8");
    byte[] latin1 =
        "event=newLead&url=https://crm.example.com/in&name=Ärger"
            .getBytes(StandardCharsets.ISO_8859_1);

    assertError(api.raw("POST", "/v2/webhook", FORM, latin1), 400, "API");
    assertError(
        api.raw("POST", "/v2/webhook", FORM, bytes("event=newLead&name=%FF&url=https://x.io")),
        400,
        "API");
    assertError(api.get("/v2/webhook?name=%C3"), 400, "API");
    assertThat(allWebhooks(api).get("Total").asInt()).isZero();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void headersOverTheLimitAnswerInTheErrorShape(StoreKind kind) {
    TestServer server = servers.on(kind);
    Request request =
        new Request.Builder()
            .url(server.baseUrl() + "/v2/me")
            .header("X-Padding", "p".repeat(64 * 1024))
            .build();

    try (Response response = new OkHttpClient().newCall(request).execute()) {
      String text = response.body().string();
      assertThat(response.code()).isEqualTo(431);
      assertThat(text).contains("\"Result\":false").contains("\"API\"");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
