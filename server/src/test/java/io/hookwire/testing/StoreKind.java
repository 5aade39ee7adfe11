package io.hookwire.testing;

import io.hookwire.store.PostgresStore;
import io.hookwire.store.SqliteStore;
import io.hookwire.store.Store;
import java.nio.file.Path;
import java.util.Optional;

/** The two stores every store-dependent test runs against. */
public enum StoreKind {
  SQLITE,
  POSTGRES;

  /**
   * A JDBC URL of a fresh database for POSTGRES (skipping when there is none), empty for SQLite.
   */
  public Optional<String> freshDatabaseUrl() {
    return this == POSTGRES ? Optional.of(PostgresDatabase.create()) : Optional.empty();
  }

  /** A fresh, migrated store. */
  public Store open(Path dataDir) {
    return this == POSTGRES
        ? PostgresStore.open(PostgresDatabase.create(), 4)
        : SqliteStore.open(dataDir);
  }
}
