package io.hookwire.security;

import static io.hookwire.security.Calls.awaitLog;
import static io.hookwire.security.Calls.createWebhook;
import static io.hookwire.security.Calls.publishNewLead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ConfigEditor;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Why this exists: a stolen database or backup must not hand over the secrets that let anyone forge
 * deliveries. The test creates and rotates secrets, delivers with them, then searches every byte
 * the server stored (each file of the data directory, every column of every PostgreSQL table) for
 * the secrets in each encoding a careless implementation might write them.
 */
class SecretsAtRestTest {

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void secretsAppearNowhereInTheDataDirectoryOrTheDatabase(StoreKind kind) throws Exception {
    List<String> secrets = new ArrayList<>();
    TestServer server = TestServer.start(kind);
    try (server;
        RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = server.api();
      String marker = "Marker" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
      for (int i = 0; i < 3; i++) {
        JsonNode created =
            api.postForm(
                    "/v2/webhook",
                    Map.of("event", "newLead", "name", marker, "url", receiver.url("/" + i)))
                .json();
        secrets.add(created.at("/Webhook/Secret").asText());
        String id = created.at("/Webhook/Id").asText();
        if (i == 0) {
          for (int r = 0; r < 2; r++) {
            secrets.add(
                api.postForm("/v2/webhook/" + id + "/rotate-secret", Map.of())
                    .json()
                    .at("/Webhook/Secret")
                    .asText());
          }
        }
      }
      publishNewLead(api);
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 3);
      // The searched-for secrets are the ones that really sign: the test looks for the right thing.
      var first = receiver.receivedOn("/0").get(0);
      assertThat(first.header("X-Oktopost-Signature"))
          .isEqualTo(Hmac.hex("HmacSHA256", secrets.get(2), first.body()));

      assertThat(secrets)
          .hasSize(5)
          .doesNotHaveDuplicates()
          .allMatch(s -> s.matches("[0-9a-f]{64}"));
      // While running: SQLite's write-ahead log still holds the latest writes.
      assertStoredNowhere(kind, server, secrets, marker);
    }
    assertStoredNowhere(kind, server, secrets, null);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void theKeyFileIsCreatedOwnerOnlyOnFirstStartAndReusedAfter(StoreKind kind) throws IOException {
    try (RecordingReceiver receiver = new RecordingReceiver()) {
      TestServer first = TestServer.start(kind);
      Path keyFile = first.dataDir.resolve("master.key");
      String key;
      String secret;
      try (first) {
        assertThat(keyFile).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
            .isEqualTo("rw-------");
        key = Files.readString(keyFile);
        assertThat(Base64.getDecoder().decode(key.strip())).hasSize(32);
        secret =
            first
                .api()
                .postForm(
                    "/v2/webhook",
                    Map.of("event", "newLead", "name", "Hook", "url", receiver.url("/hook")))
                .json()
                .at("/Webhook/Secret")
                .asText();
      }

      try (TestServer second = restart(kind, first, c -> c)) {
        assertThat(Files.readString(keyFile)).isEqualTo(key);
        publishNewLead(asBefore(second, first));
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
        var delivery = receiver.received().get(0);
        assertThat(delivery.header("X-Oktopost-Signature"))
            .isEqualTo(Hmac.hex("HmacSHA256", secret, delivery.body()));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void aGivenMasterKeyIsUsedAndNoKeyFileIsWritten(StoreKind kind) {
    String key = newKey();
    try (RecordingReceiver receiver = new RecordingReceiver()) {
      TestServer first =
          TestServer.start(kind, c -> ConfigEditor.of(c).masterKey(key).build(), b -> b);
      String secret;
      try (first) {
        secret =
            first
                .api()
                .postForm(
                    "/v2/webhook",
                    Map.of("event", "newLead", "name", "Hook", "url", receiver.url("/hook")))
                .json()
                .at("/Webhook/Secret")
                .asText();
      }
      assertThat(first.dataDir.resolve("master.key")).doesNotExist();

      try (TestServer second = restart(kind, first, c -> c.masterKey(key))) {
        publishNewLead(asBefore(second, first));
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
        var delivery = receiver.received().get(0);
        assertThat(delivery.header("X-Oktopost-Secret"))
            .isEqualTo(Hmac.hex("HmacSHA1", secret, delivery.body()));
      }
      assertThat(first.dataDir.resolve("master.key")).doesNotExist();
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void aWrongMasterKeyIsAClearErrorInTheLogAndTheServerKeepsServing(StoreKind kind) {
    String rightKey = newKey();
    try (RecordingReceiver receiver = new RecordingReceiver()) {
      TestServer first =
          TestServer.start(kind, c -> ConfigEditor.of(c).masterKey(rightKey).build(), b -> b);
      String id;
      try (first) {
        id = createWebhook(first.api(), receiver.url("/hook"));
      }

      try (TestServer wrong = restart(kind, first, c -> c.masterKey(newKey()))) {
        ApiClient api = asBefore(wrong, first);
        publishNewLead(api);

        JsonNode attempt = awaitLog(api, id, 1).get(0);
        assertThat(attempt.at("/ResponseCode").asInt()).isZero();
        assertThat(attempt.at("/Error").asText())
            .isEqualTo(
                "cannot decrypt the webhook secret: is HOOKWIRE_MASTER_KEY (or the master.key"
                    + " file) the key it was stored with?");
        assertThat(api.get("/v2/webhook/" + id).status()).isEqualTo(200);
        assertThat(api.get("/health").status()).isEqualTo(200);
        // Every retry fails the same way and the payload gives up, undelivered.
        awaitLog(api, id, 4);
      }
      assertThat(receiver.received()).isEmpty();

      // With the right key back, a resend delivers what gave up meanwhile.
      try (TestServer right = restart(kind, first, c -> c.masterKey(rightKey))) {
        ApiClient api = asBefore(right, first);
        assertThat(
                api.postForm("/v2/webhook/" + id + "/resend", Map.of())
                    .json()
                    .at("/Resent")
                    .asInt())
            .isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
      }
    }
  }

  private static String newKey() {
    return Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
  }

  /** A new server on {@code before}'s storage (its data directory and database). */
  private static TestServer restart(
      StoreKind kind, TestServer before, java.util.function.UnaryOperator<ConfigEditor> change) {
    return TestServer.start(
        kind,
        c ->
            change
                .apply(ConfigEditor.of(c).storage(before.dataDir, before.config.databaseUrl()))
                .build(),
        b -> b);
  }

  /** The first server's account, on the restarted server. */
  private static ApiClient asBefore(TestServer now, TestServer before) {
    return new ApiClient(now.baseUrl(), before.accountId, before.apiKey);
  }

  /**
   * Asserts that no stored byte spells any of the secrets, as hex (either case), as raw bytes, or
   * in base64 of either (the Standard Webhooks key); {@code marker}, when given, must be found, so
   * the search is known to read the store.
   */
  private static void assertStoredNowhere(
      StoreKind kind, TestServer server, List<String> secrets, String marker)
      throws IOException, SQLException {
    List<byte[]> needles = new ArrayList<>();
    for (String secret : secrets) {
      byte[] raw = HexFormat.of().parseHex(secret);
      needles.add(secret.getBytes(StandardCharsets.US_ASCII));
      needles.add(secret.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
      needles.add(raw);
      needles.add(Base64.getEncoder().encode(raw));
      needles.add(Base64.getEncoder().encode(secret.getBytes(StandardCharsets.US_ASCII)));
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(server.dataDir)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(files).isNotEmpty();
    ByteArrayOutputStream everything = new ByteArrayOutputStream();
    for (Path file : files) {
      byte[] content = Files.readAllBytes(file);
      everything.writeBytes(content);
      for (byte[] needle : needles) {
        assertThat(indexOf(content, needle)).as("a secret in %s", file).isEqualTo(-1);
      }
    }
    if (kind == StoreKind.POSTGRES) {
      byte[] dump = dumpTables(server.config.databaseUrl().orElseThrow());
      everything.writeBytes(dump);
      for (byte[] needle : needles) {
        assertThat(indexOf(dump, needle)).as("a secret in a PostgreSQL column").isEqualTo(-1);
      }
    }
    if (marker != null) {
      assertThat(indexOf(everything.toByteArray(), marker.getBytes(StandardCharsets.US_ASCII)))
          .as("the webhook's name, as a check that the search reads the store")
          .isNotEqualTo(-1);
    }
  }

  /** Every column of every row of every table in the database, as text and as bytes. */
  private static byte[] dumpTables(String url) throws SQLException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Connection c = DriverManager.getConnection(url)) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME"));
        }
      }
      assertThat(tables).anyMatch(t -> t.endsWith(".webhook"));
      for (String table : tables) {
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              String text = rs.getString(i);
              if (text != null) {
                out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
              }
            }
          }
        }
      }
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
