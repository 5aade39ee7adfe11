package io.hookwire.cli;

import io.hookwire.store.Store;
import io.hookwire.store.Stores;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the data is: shared by every command that opens the store. Defaults come from {@link
 * Defaults}, which each of those commands names.
 */
final class StoreOptions {
  @Option(
      names = "--data-dir",
      description =
          "Directory of the embedded SQLite store and the master key file (env"
              + " HOOKWIRE_DATA_DIR, default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--database-url",
      description =
          "PostgreSQL JDBC URL, e.g. jdbc:postgresql://localhost/hookwire?user=u&password=p;"
              + " SQLite in the data directory when absent (env HOOKWIRE_DATABASE_URL).")
  String databaseUrl;

  @Option(
      names = "--database-pool-size",
      description =
          "PostgreSQL connections per node (env HOOKWIRE_DATABASE_POOL_SIZE, default: ${DEFAULT-VALUE}).")
  int databasePoolSize;

  Optional<String> databaseUrl() {
    return Optional.ofNullable(databaseUrl).filter(u -> !u.isBlank());
  }

  Store open() {
    return Stores.open(databaseUrl(), dataDir, Math.min(databasePoolSize, 4));
  }
}
