package io.hookwire.store;

import java.nio.file.Path;
import java.util.Optional;

public final class Stores {
  private Stores() {}

  /** PostgreSQL when a JDBC URL is given, else SQLite in {@code dataDir}. */
  public static Store open(Optional<String> databaseUrl, Path dataDir, int poolSize) {
    return databaseUrl
        .filter(url -> !url.isBlank())
        .<Store>map(url -> PostgresStore.open(url, poolSize))
        .orElseGet(() -> SqliteStore.open(dataDir));
  }
}
