package io.hookwire.store;

import io.hookwire.testing.StoreKind;
import java.nio.file.Path;

class SqliteStoreTest extends StoreContract {
  @Override
  Store openStore(Path dataDir) {
    return StoreKind.SQLITE.open(dataDir);
  }
}
