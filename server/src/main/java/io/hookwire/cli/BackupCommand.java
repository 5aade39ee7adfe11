package io.hookwire.cli;

import io.hookwire.store.Store;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    defaultValueProvider = Defaults.class,
    description = {
      "Write a consistent copy of the SQLite store to a new file, while the server runs.",
      "Restore by stopping the server and putting the copy in place of hookwire.db (its -wal and"
          + " -shm files removed). Keep the master key apart from the copy: the secrets in it open"
          + " only with that key."
    })
final class BackupCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Option(names = "--to", required = true, description = "The new file to write (mode 0600).")
  Path to;

  @Override
  public Integer call() {
    try (Store s = store.open()) {
      s.backupTo(to);
    }
    System.out.println(
        "Backed up to "
            + to
            + ". Keep the master key (master.key or"
            + " HOOKWIRE_MASTER_KEY) apart from it: without the key, no webhook secret in it opens.");
    return 0;
  }
}
