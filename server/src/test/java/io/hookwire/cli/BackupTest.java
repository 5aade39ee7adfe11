package io.hookwire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwire.core.PayloadState;
import io.hookwire.core.WebhookRow;
import io.hookwire.security.SecretBox;
import io.hookwire.store.Store;
import io.hookwire.store.Stores;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.PostgresDatabase;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hookwire backup}: a consistent copy of a running SQLite store that restores whole. */
class BackupTest {
  @TempDir Path tmp;

  @Test
  void aBackupOfARunningServerRestoresItsAccountsWebhooksSecretsAndEvents() throws Exception {
    Path backup = tmp.resolve("hookwire-backup.db");
    String webhookId;
    String accountId;
    try (TestServer server = TestServer.start(StoreKind.SQLITE)) {
      ApiClient api = server.api();
      accountId = server.accountId;
      webhookId =
          api.postForm(
                  "/v2/webhook",
                  Map.of("event", "newLead", "name", "CRM", "url", "https://crm.example.com/hook"))
              .json()
              .at("/Webhook/Id")
              .asText();
      for (int i = 0; i < 50; i++) {
        api.postJson("/v2/event", "{\"event\":\"newLead\",\"data\":{\"n\":" + i + "}}");
      }

      int exit = run("backup", "--data-dir", server.dataDir.toString(), "--to", backup.toString());

      assertThat(exit).isZero();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)))
          .isEqualTo("rw-------");
      Files.copy(server.dataDir.resolve("master.key"), tmp.resolve("master.key"));
    }

    Path restored = Files.createDirectories(tmp.resolve("restored"));
    Files.move(backup, restored.resolve("hookwire.db"), StandardCopyOption.ATOMIC_MOVE);
    Files.move(tmp.resolve("master.key"), restored.resolve("master.key"));
    try (Store store = Stores.open(Optional.empty(), restored, 2)) {
      WebhookRow row = store.findWebhook(accountId, webhookId).orElseThrow();
      SecretBox key = SecretBox.load(null, restored.resolve("master.key"));
      assertThat(key.open(row.secretSealed(), SecretBox.webhookBinding(accountId, webhookId)))
          .isNotBlank();
      assertThat(
              Arrays.stream(PayloadState.values())
                  .mapToLong(state -> store.countPayloads(accountId, webhookId, state))
                  .sum())
          .isEqualTo(50);
    }
  }

  @Test
  void anExistingFileIsNotOverwritten() throws Exception {
    Path existing = Files.writeString(tmp.resolve("taken.db"), "mine");
    StringWriter err = new StringWriter();

    int exit =
        run(
            err,
            "backup",
            "--data-dir",
            tmp.resolve("data").toString(),
            "--to",
            existing.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("exists");
    assertThat(Files.readString(existing)).isEqualTo("mine");
  }

  @Test
  void postgresqlIsSentToItsOwnTools() {
    PostgresDatabase.assumeAvailable();
    StringWriter err = new StringWriter();

    int exit =
        run(
            err,
            "backup",
            "--database-url",
            PostgresDatabase.create(),
            "--to",
            tmp.resolve("pg.db").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("pg_dump");
    assertThat(tmp.resolve("pg.db")).doesNotExist();
  }

  private static int run(String... args) {
    return run(new StringWriter(), args);
  }

  private static int run(StringWriter err, String... args) {
    return Main.commandLine().setErr(new PrintWriter(err, true)).execute(args);
  }
}
