package io.hookwire.cli;

import io.hookwire.store.Store;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    defaultValueProvider = Defaults.class,
    description = "Bring the store's schema up to date and exit (serve does this too).")
final class MigrateCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Override
  public Integer call() {
    try (Store s = store.open()) {
      System.out.println("The store's schema is up to date.");
    }
    return 0;
  }
}
