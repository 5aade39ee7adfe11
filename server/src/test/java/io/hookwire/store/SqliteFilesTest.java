package io.hookwire.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwire.security.ApiKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database and its journal are readable by this user only, whatever the umask. */
class SqliteFilesTest {
  @TempDir Path tmp;

  @Test
  void aNewDataDirectoryIs0700AndTheDatabaseAndItsJournalFiles0600() throws Exception {
    Path dir = tmp.resolve("data/hookwire");
    try (Store store = Stores.open(Optional.empty(), dir, 2)) {
      store.createAccount("acme", ApiKeys.hash("key"), Instant.now());

      assertThat(mode(dir)).isEqualTo("rwx------");
      assertThat(mode(dir.resolve("hookwire.db"))).isEqualTo("rw-------");
      assertThat(mode(dir.resolve("hookwire.db-wal"))).isEqualTo("rw-------");
      assertThat(mode(dir.resolve("hookwire.db-shm"))).isEqualTo("rw-------");
    }
  }

  @Test
  void aDatabaseOthersCouldReadIsNarrowedWhenOpened() throws Exception {
    Path dir = tmp.resolve("data");
    Stores.open(Optional.empty(), dir, 2).close();
    Path db = dir.resolve("hookwire.db");
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));

    try (Store store = Stores.open(Optional.empty(), dir, 2)) {
      store.createAccount("acme", ApiKeys.hash("key"), Instant.now());
      assertThat(mode(db)).isEqualTo("rw-------");
      assertThat(mode(dir.resolve("hookwire.db-wal"))).isEqualTo("rw-------");
    }
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
