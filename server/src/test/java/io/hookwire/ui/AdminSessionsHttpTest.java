package io.hookwire.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookwire.config.Config;
import io.hookwire.security.ApiKeys;
import io.hookwire.service.Auth;
import io.hookwire.store.SqliteStore;
import io.hookwire.testing.ConfigEditor;
import io.hookwire.testing.ServerProcess;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Admin sessions live in the store: a browser is signed in on every node of one database, behind a
 * load balancer that sends each request anywhere, and its session ends there when the account's API
 * key is replaced. What the store keeps of a session opens nothing by itself.
 */
class AdminSessionsHttpTest {
  private static final Pattern SECRET =
      Pattern.compile("id=\"secret-value\" class=\"mono\" value=\"([0-9a-f]{64})\"");

  private static final Map<String, String> WEBHOOK =
      Map.of(
          "name", "CRM", "event", "newLead", "url", "https://example.com/hook", "isEnabled", "1");

  @Test
  void aBrowserIsSignedInOnEveryNodeOfTheDatabaseUntilItSignsOutOnAny() {
    String database = StoreKind.POSTGRES.freshDatabaseUrl().orElseThrow();
    // One master key for both: either node must open the Secret the other sealed.
    String masterKey = ServerProcess.newMasterKey();
    UnaryOperator<Config> shared =
        c ->
            ConfigEditor.of(c)
                .storage(c.dataDir(), Optional.of(database))
                .masterKey(masterKey)
                .build();
    try (TestServer first = TestServer.start(StoreKind.POSTGRES, shared, b -> b);
        TestServer second = TestServer.start(StoreKind.POSTGRES, shared, b -> b)) {
      UiClient viaFirst = new UiClient(first.baseUrl());
      UiClient viaSecond = viaFirst.on(second.baseUrl());

      assertThat(viaFirst.signIn(first.accountId, first.apiKey).status()).isEqualTo(303);
      assertThat(viaSecond.get("/ui/webhooks").status()).isEqualTo(200);

      // Created through one node, the webhook's Secret is shown by the other, once.
      UiClient.Page created = create(viaFirst);
      assertThat(created.status()).isEqualTo(303);
      assertThat(secretOn(viaSecond.get(created.location()))).matches("[0-9a-f]{64}");
      assertThat(viaFirst.get(created.location()).body())
          .contains("The Secret is shown only once")
          .doesNotContainPattern(SECRET);

      String cookie = viaFirst.cookie(AdminUi.SESSION_COOKIE);
      UiClient.Page out =
          viaSecond.post("/ui/sign-out", Map.of("csrf", viaSecond.get("/ui/webhooks").csrf()));
      assertThat(out.status()).isEqualTo(303);
      // A copy of the cookie, replayed on the node that did not sign out, opens nothing.
      viaFirst.setCookie(AdminUi.SESSION_COOKIE, cookie);
      UiClient.Page replayed = viaFirst.get("/ui/webhooks");
      assertThat(replayed.status()).isEqualTo(303);
      assertThat(replayed.location()).isEqualTo("/ui/sign-in");
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void replacingTheApiKeyEndsTheSession(StoreKind kind) {
    try (TestServer server = TestServer.start(kind)) {
      UiClient ui = new UiClient(server.baseUrl());
      ui.signIn(server.accountId, server.apiKey);
      assertThat(ui.get("/ui/webhooks").status()).isEqualTo(200);
      String newKey = ApiKeys.generate();

      // As `hookwire account rotate-key` or another node does it: straight in the store. This
      // node's authentication cache lets the old key go within its life.
      server.server.store().setApiKeyHash(server.accountId, ApiKeys.hash(newKey));

      await()
          .atMost(Auth.CACHE_LIFE.plus(Duration.ofSeconds(5)))
          .until(() -> ui.get("/ui/webhooks").status() == 303);
      assertThat(ui.get("/ui/webhooks").location()).isEqualTo("/ui/sign-in");
      assertThat(ui.signIn(server.accountId, newKey).status()).isEqualTo(303);
      assertThat(ui.get("/ui/webhooks").status()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void theStoreHoldsNeitherTheCookiesTokenNorTheSecretInClear(StoreKind kind) throws SQLException {
    try (TestServer server = TestServer.start(kind)) {
      UiClient ui = new UiClient(server.baseUrl());
      ui.signIn(server.accountId, server.apiKey);
      String token = ui.cookie(AdminUi.SESSION_COOKIE);
      UiClient.Page created = create(ui);

      List<String> waiting = sessionValues(server);
      String secret = secretOn(ui.get(created.location()));
      List<String> shown = sessionValues(server);

      // The search reads the session's row: the token's SHA-256 names it, the Secret is sealed.
      assertThat(waiting).contains(ApiKeys.hash(token)).anyMatch(v -> v.startsWith("v1:"));
      assertThat(waiting).noneMatch(v -> v.contains(token) || v.contains(secret));
      // Shown, it is gone.
      assertThat(shown).contains(ApiKeys.hash(token)).noneMatch(v -> v.startsWith("v1:"));
    }
  }

  private static UiClient.Page create(UiClient ui) {
    Map<String, String> form = new java.util.HashMap<>(WEBHOOK);
    form.put("csrf", ui.get("/ui/webhooks/new").csrf());
    UiClient.Page created = ui.post("/ui/webhooks", form);
    assertThat(created.location()).matches("/ui/webhooks/[^/]+/secret");
    return created;
  }

  private static String secretOn(UiClient.Page page) {
    assertThat(page.status()).isEqualTo(200);
    Matcher m = SECRET.matcher(page.body());
    assertThat(m.find()).as("a Secret on the page:\n%s", page.body()).isTrue();
    return m.group(1);
  }

  /** Every value of every admin session row, as text. */
  private static List<String> sessionValues(TestServer server) throws SQLException {
    String url =
        server
            .config
            .databaseUrl()
            .orElse("jdbc:sqlite:" + server.dataDir.resolve(SqliteStore.FILE_NAME));
    List<String> values = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM admin_session")) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          Optional.ofNullable(rs.getString(i)).ifPresent(values::add);
        }
      }
    }
    return values;
  }
}
