package io.hookwire.cli;

import io.hookwire.core.Account;
import io.hookwire.core.Json;
import io.hookwire.security.ApiKeys;
import io.hookwire.service.Auth;
import io.hookwire.store.Store;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "account",
    mixinStandardHelpOptions = true,
    description = "Manage accounts.",
    subcommands = {AccountCommand.Create.class, AccountCommand.RotateKey.class})
final class AccountCommand {

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      defaultValueProvider = Defaults.class,
      description = "Create an account and print its Account ID and API key.")
  static final class Create implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Option(names = "--name", required = true, description = "The account's name.")
    String name;

    @Option(names = "--json", description = "Print {\"AccountId\": ..., \"ApiKey\": ...}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (name.isBlank() || name.length() > 255) {
        System.err.println("--name must be 1 to 255 characters");
        return 2;
      }
      try (Store s = store.open()) {
        String apiKey = ApiKeys.generate();
        Account account = s.createAccount(name.strip(), ApiKeys.hash(apiKey), Instant.now());
        print(account.id(), apiKey, json);
      }
      return 0;
    }
  }

  @Command(
      name = "rotate-key",
      mixinStandardHelpOptions = true,
      defaultValueProvider = Defaults.class,
      description =
          "Issue a new API key for an account. The command returns once the old key is refused"
              + " on every node (a few seconds: nodes trust an account they read for that long).")
  static final class RotateKey implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Option(names = "--account", required = true, description = "The Account ID.")
    String accountId;

    @Option(names = "--json", description = "Print {\"AccountId\": ..., \"ApiKey\": ...}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      try (Store s = store.open()) {
        Optional<String> apiKey = new Auth(s, 0).rotateKey(accountId);
        if (apiKey.isEmpty()) {
          System.err.println("no account " + accountId);
          return 1;
        }
        // Printed first: the new key must not be lost if the wait below is interrupted.
        print(accountId, apiKey.get(), json);
      }
      // Running servers are other processes: each drops the old key within Auth.CACHE_LIFE of the
      // commit. Returning only then keeps "once the command is done, the old key is refused".
      System.err.printf(
          "Waiting %d s for every node to let go of the old key...%n", Auth.CACHE_LIFE.toSeconds());
      Thread.sleep(Auth.CACHE_LIFE.toMillis());
      System.err.println("The old key is refused on every node.");
      return 0;
    }
  }

  static void print(String accountId, String apiKey, boolean json) throws Exception {
    if (json) {
      Map<String, String> out = new LinkedHashMap<>();
      out.put("AccountId", accountId);
      out.put("ApiKey", apiKey);
      System.out.println(Json.MAPPER.writeValueAsString(out));
    } else {
      System.out.println("AccountId: " + accountId);
      System.out.println("ApiKey:    " + apiKey);
      System.out.println("The API key is shown only now; Hookwire keeps only its hash.");
    }
  }
}
