package io.hookwire.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwire.config.Config;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin pages' session and CSRF rules over plain HTTP, where every header and status is
 * visible. The browser tests cover what a person sees; these cover what an attacker could try.
 */
class AdminUiHttpTest {
  private TestServer server;
  private UiClient ui;

  @BeforeEach
  void start() {
    server = TestServer.start(StoreKind.SQLITE);
    ui = new UiClient(server.baseUrl());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void rootLeadsToTheSignInPage() {
    UiClient.Page root = ui.get("/");
    assertThat(root.status()).isEqualTo(302);
    assertThat(root.location()).endsWith("/ui");

    UiClient.Page webhooks = ui.get("/ui/webhooks");
    assertThat(webhooks.status()).isEqualTo(303);
    assertThat(webhooks.location()).isEqualTo("/ui/sign-in");

    UiClient.Page signIn = ui.get("/ui/sign-in");
    assertThat(signIn.status()).isEqualTo(200);
    assertThat(signIn.body())
        .contains("<label for=\"accountId\">Account ID</label>")
        .contains("<label for=\"apiKey\">API Key</label>");
  }

  @Test
  void sessionCookieIsHttpOnlyStrictAndOnlyForTheAdminPages() {
    UiClient.Page signedIn = ui.signIn(server.accountId, server.apiKey);

    assertThat(signedIn.status()).isEqualTo(303);
    assertThat(signedIn.location()).isEqualTo("/ui/webhooks");
    String cookie =
        signedIn.setCookies().stream()
            .filter(c -> c.startsWith(AdminUi.SESSION_COOKIE + "="))
            .findFirst()
            .orElseThrow();
    assertThat(cookie).contains("HttpOnly", "SameSite=Strict", "Path=/ui").doesNotContain("Secure");
    // 256 random bits, base64url: 43 characters.
    assertThat(ui.cookie(AdminUi.SESSION_COOKIE)).matches("[A-Za-z0-9_-]{43}");
    assertThat(ui.get("/ui/webhooks").status()).isEqualTo(200);
  }

  @Test
  void sessionCookieIsSecureWhenTheBrowserCameOverHttps() {
    UiClient.Page form = ui.get("/ui/sign-in");
    UiClient.Page signedIn =
        ui.post(
            "/ui/sign-in",
            Map.of("csrf", form.csrf(), "accountId", server.accountId, "apiKey", server.apiKey),
            Map.of("X-Forwarded-Proto", "https"));

    assertThat(signedIn.setCookies())
        .filteredOn(c -> c.startsWith(AdminUi.SESSION_COOKIE + "="))
        .singleElement()
        .asString()
        .contains("Secure", "HttpOnly", "SameSite=Strict");
  }

  @Test
  void signInWithAWrongKeyIsRefusedWithoutASession() {
    UiClient.Page refused = ui.signIn(server.accountId, "not-the-key");

    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.body()).contains("That Account ID and API Key do not match an account.");
    assertThat(ui.cookie(AdminUi.SESSION_COOKIE)).isNull();
    assertThat(ui.get("/ui/webhooks").status()).isEqualTo(303);
  }

  @Test
  void signInsAreThrottledAfterTheAddressesBudgetOfFailures() {
    for (int i = 0; i < Config.DEFAULT_FAILED_AUTH_LIMIT; i++) {
      assertThat(ui.signIn(server.accountId, "not-the-key").status()).isEqualTo(401);
    }
    UiClient.Page throttled = ui.signIn(server.accountId, server.apiKey);

    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.headers().get("Retry-After")).matches("[1-9][0-9]*");
    assertThat(throttled.body()).contains("Too many failed sign-ins");
    assertThat(ui.cookie(AdminUi.SESSION_COOKIE)).isNull();
  }

  @Test
  void signInWithACookieAndFieldOfTheSendersChoosingIsRefused() {
    // Another site able to plant a cookie (a sibling subdomain, say) picks a value and posts it
    // in the form too: equal, but not a token this server made.
    ui.setCookie(AdminUi.SIGN_IN_COOKIE, "abc");
    UiClient.Page refused =
        ui.post(
            "/ui/sign-in",
            Map.of("csrf", "abc", "accountId", server.accountId, "apiKey", server.apiKey));

    assertThat(refused.status()).isEqualTo(403);
    assertThat(ui.cookie(AdminUi.SESSION_COOKIE)).isNull();
  }

  @Test
  void signInPostWithoutTheFormsTokenIsRefused() {
    // A page on another site could post the form with credentials of its own choosing (login
    // CSRF): without the token from our sign-in page, nothing happens.
    UiClient.Page refused =
        ui.post("/ui/sign-in", Map.of("accountId", server.accountId, "apiKey", server.apiKey));

    assertThat(refused.status()).isEqualTo(403);
    assertThat(ui.cookie(AdminUi.SESSION_COOKIE)).isNull();
  }

  @Test
  void changesWithoutTheSessionsCsrfTokenAreRefusedAndChangeNothing() {
    ui.signIn(server.accountId, server.apiKey);
    Map<String, String> webhook =
        Map.of("name", "CRM", "event", "newLead", "url", "https://example.com/hook");

    UiClient.Page missing = ui.post("/ui/webhooks", webhook);
    Map<String, String> forged = new java.util.HashMap<>(webhook);
    forged.put("csrf", "A".repeat(43));
    UiClient.Page wrong = ui.post("/ui/webhooks", forged);
    UiClient.Page json =
        ui.postRaw(
            "/ui/webhooks",
            RequestBody.create(
                "{\"name\":\"CRM\",\"event\":\"newLead\",\"url\":\"https://example.com/hook\"}",
                MediaType.get("application/json")));

    assertThat(missing.status()).isEqualTo(403);
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(json.status()).isEqualTo(403);
    assertThat(missing.body()).contains("nothing was changed");
    assertThat(server.api().get("/v2/webhook").json().get("Total").asInt()).isZero();

    // The same form with the page's token goes through: the token was the only thing missing.
    Map<String, String> genuine = new java.util.HashMap<>(webhook);
    genuine.put("csrf", ui.get("/ui/webhooks/new").csrf());
    assertThat(ui.post("/ui/webhooks", genuine).status()).isEqualTo(303);
    assertThat(server.api().get("/v2/webhook").json().get("Total").asInt()).isEqualTo(1);
  }

  @Test
  void signOutEndsTheSessionOnTheServer() {
    ui.signIn(server.accountId, server.apiKey);
    String oldSession = ui.cookie(AdminUi.SESSION_COOKIE);

    UiClient.Page out = ui.post("/ui/sign-out", Map.of("csrf", ui.get("/ui/webhooks").csrf()));

    assertThat(out.status()).isEqualTo(303);
    assertThat(out.location()).startsWith("/ui/sign-in");
    assertThat(ui.cookie(AdminUi.SESSION_COOKIE)).isNull();
    // A copy of the old cookie, replayed, opens nothing.
    ui.setCookie(AdminUi.SESSION_COOKIE, oldSession);
    UiClient.Page replayed = ui.get("/ui/webhooks");
    assertThat(replayed.status()).isEqualTo(303);
    assertThat(replayed.location()).isEqualTo("/ui/sign-in");
  }

  @Test
  void signInReturnsOnlyToAdminPages() {
    UiClient.Page bounced = ui.get("/ui/webhooks/new");
    assertThat(bounced.location()).isEqualTo("/ui/sign-in?next=%2Fui%2Fwebhooks%2Fnew");

    UiClient.Page form = ui.get("/ui/sign-in?next=/ui/webhooks/new");
    UiClient.Page back =
        ui.post(
            "/ui/sign-in",
            Map.of(
                "csrf",
                form.csrf(),
                "accountId",
                server.accountId,
                "apiKey",
                server.apiKey,
                "next",
                "/ui/webhooks/new"));
    assertThat(back.location()).isEqualTo("/ui/webhooks/new");

    for (String elsewhere :
        new String[] {"https://evil.example/", "//evil.example/ui/", "/v2/me"}) {
      UiClient client = new UiClient(server.baseUrl());
      UiClient.Page page = client.get("/ui/sign-in");
      UiClient.Page signedIn =
          client.post(
              "/ui/sign-in",
              Map.of(
                  "csrf",
                  page.csrf(),
                  "accountId",
                  server.accountId,
                  "apiKey",
                  server.apiKey,
                  "next",
                  elsewhere));
      assertThat(signedIn.location()).as(elsewhere).isEqualTo("/ui/webhooks");
    }
  }

  @Test
  void pagesAreNeitherCachedNorFramedAndRunNoInlineScript() {
    ui.signIn(server.accountId, server.apiKey);
    UiClient.Page page = ui.get("/ui/webhooks");

    assertThat(page.headers().get("Content-Security-Policy"))
        .contains("script-src 'self'", "frame-ancestors 'none'", "form-action 'self'")
        .doesNotContain("unsafe-inline");
    assertThat(page.headers().get("Cache-Control")).isEqualTo("no-store");
    assertThat(page.headers().get("X-Frame-Options")).isEqualTo("DENY");
    assertThat(page.body()).doesNotContain("<script>").doesNotContain("style=");
  }

  @Test
  void anotherAccountsWebhookIsNotFoundAndCannotBeDeleted() {
    ApiClient other = server.newAccount("Other");
    String theirs =
        other
            .postForm(
                "/v2/webhook",
                Map.of("event", "newLead", "name", "Theirs", "url", "https://example.com/x"))
            .json()
            .at("/Webhook/Id")
            .asText();
    ui.signIn(server.accountId, server.apiKey);
    String csrf = ui.get("/ui/webhooks").csrf();

    assertThat(ui.get("/ui/webhooks/" + theirs).status()).isEqualTo(404);
    assertThat(ui.get("/ui/webhooks/" + theirs + "/log").status()).isEqualTo(404);
    UiClient.Page delete = ui.post("/ui/webhooks/" + theirs + "/delete", Map.of("csrf", csrf));
    assertThat(delete.status()).isEqualTo(404);
    assertThat(delete.body()).contains("Webhook not found");
    assertThat(other.get("/v2/webhook/" + theirs).status()).isEqualTo(200);
  }

  @Test
  void userTextIsEscapedOnEveryPage() {
    String name = "<script>alert(1)</script>";
    ApiClient.Answer created =
        server
            .api()
            .postForm(
                "/v2/webhook",
                Map.of(
                    "event", "newLead",
                    "name", name,
                    "description", "\"><img src=x onerror=alert(2)>",
                    "url", "https://example.com/?a=1&c='d'"));
    assertThat(created.status()).as(created.text()).isEqualTo(200);
    String id = created.json().at("/Webhook/Id").asText();
    ui.signIn(server.accountId, server.apiKey);

    for (String path :
        new String[] {"/ui/webhooks", "/ui/webhooks/" + id, "/ui/webhooks/" + id + "/delete"}) {
      String body = ui.get(path).body();
      assertThat(body)
          .as(path)
          .doesNotContain("<script>alert")
          .doesNotContain("<img src=x")
          .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }
    // In text, markup characters are shown as text; in an attribute, quotes cannot end it.
    assertThat(ui.get("/ui/webhooks").body()).contains("\"&gt;&lt;img src=x onerror=alert(2)&gt;");
    assertThat(ui.get("/ui/webhooks/" + id).body())
        .contains("value=\"https://example.com/?a=1&amp;c=&#39;d&#39;\"");
  }

  @Test
  void unknownAdminPageIsAnHtmlNotFound() {
    ui.signIn(server.accountId, server.apiKey);
    UiClient.Page missing = ui.get("/ui/no-such-page");

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.headers().get("Content-Type")).startsWith("text/html");
    assertThat(ui.get("/ui/assets/app.css").headers().get("Content-Type")).startsWith("text/css");
    assertThat(ui.get("/ui/assets/nope.js").status()).isEqualTo(404);
  }
}
