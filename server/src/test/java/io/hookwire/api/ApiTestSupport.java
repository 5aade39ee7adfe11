package io.hookwire.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.core.Account;
import io.hookwire.security.ApiKeys;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ApiClient.Answer;
import io.hookwire.testing.TestServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shorthands shared by the API tests: forms, a webhook to work on, and the error shape. */
final class ApiTestSupport {
  /** The webhook object of the reference, in its order, and the two fields Hookwire adds. */
  static final List<String> WEBHOOK_FIELDS =
      List.of(
          "Id",
          "Name",
          "Description",
          "Event",
          "Url",
          "LastExecutionDate",
          "IsEnabled",
          "Created",
          "Modified",
          "RetrySchedule",
          "BatchSize");

  /** As {@link #WEBHOOK_FIELDS}, with the Secret where the reference's create response has it. */
  static final List<String> WEBHOOK_FIELDS_WITH_SECRET =
      List.of(
          "Id",
          "Name",
          "Description",
          "Event",
          "Url",
          "LastExecutionDate",
          "IsEnabled",
          "Secret",
          "Created",
          "Modified",
          "RetrySchedule",
          "BatchSize");

  /** 15 characters, {@code 0WA} first, as the reference's {@code 0WA000000000001}. */
  static final String WEBHOOK_ID = "0WA[0-9A-Za-z]{12}";

  /** {@code YYYY-MM-DD HH:MM:SS} */
  static final String API_DATE = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}";

  private ApiTestSupport() {}

  /** An account's Basic auth credentials, for tests that send them by other means. */
  record Credentials(String accountId, String apiKey) {
    /** As curl's {@code -u} takes them. */
    String userAndPassword() {
      return accountId + ":" + apiKey;
    }
  }

  /** A new account on this server, and its credentials. */
  static Credentials newCredentials(TestServer server, String accountName) {
    String key = ApiKeys.generate();
    Account account =
        server.server.store().createAccount(accountName, ApiKeys.hash(key), Instant.now());
    return new Credentials(account.id(), key);
  }

  /**
   * A form in the given order, each parameter written as curl's {@code -d} takes it: {@code
   * form("name=CRM", "event=newLead")}.
   */
  static Map<String, String> form(String... parameters) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String parameter : parameters) {
      int eq = parameter.indexOf('=');
      form.put(parameter.substring(0, eq), parameter.substring(eq + 1));
    }
    return form;
  }

  /**
   * Creates a webhook and answers its id. Without parameters it is a valid newLead webhook; the
   * given ones replace or add to those defaults.
   */
  static String createWebhook(ApiClient api, String... parameters) {
    Map<String, String> form =
        form("event=newLead", "name=Webhook", "url=https://hooks.example.com/in");
    form.putAll(form(parameters));
    Answer created = api.postForm("/v2/webhook", form);
    assertThat(created.status()).as(created.text()).isEqualTo(200);
    return created.json().at("/Webhook/Id").asText();
  }

  /** The account's webhooks as the API lists them, for before/after comparisons. */
  static JsonNode allWebhooks(ApiClient api) {
    Answer list = api.get("/v2/webhook?_count=100");
    assertThat(list.status()).as(list.text()).isEqualTo(200);
    return list.json();
  }

  static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * Asserts Oktopost's error shape, {@code {"Result": false, "Errors": {"<field>": {"Error":
   * "..."}}}}, naming exactly these fields, each with a message.
   */
  static void assertError(Answer answer, int status, String... fields) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.headers().get("Content-Type")).startsWith("application/json");
    JsonNode json = answer.json();
    assertThat(json).as(answer.text()).isNotNull();
    assertThat(fieldNames(json)).as(answer.text()).containsExactly("Result", "Errors");
    assertThat(json.get("Result").isBoolean()).isTrue();
    assertThat(json.get("Result").booleanValue()).isFalse();
    assertThat(fieldNames(json.get("Errors"))).as(answer.text()).containsExactlyInAnyOrder(fields);
    for (String field : fields) {
      JsonNode error = json.get("Errors").get(field);
      assertThat(fieldNames(error)).containsExactly("Error");
      assertThat(error.get("Error").isTextual()).isTrue();
      assertThat(error.get("Error").textValue()).isNotBlank();
    }
  }

  /** The message of one field's error. */
  static String errorOf(Answer answer, String field) {
    return answer.json().at("/Errors/" + field + "/Error").asText();
  }
}
