package io.hookwire.testing;

import io.hookwire.core.Account;
import io.hookwire.security.ApiKeys;
import io.hookwire.store.Store;
import io.hookwire.store.Stores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hookwire serve} as its own JVM, as it runs in production: for tests that kill a server
 * (SIGKILL, no shutdown hook) or run several nodes on one database. Its log (stderr) goes to a file
 * the test can read.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on [^\\s:]+:(\\d+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  /** An account's API credentials. */
  public record Credentials(String accountId, String apiKey) {}

  private final Process process;
  private final Path log;
  private volatile int port;

  private ServerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** A fresh master key for {@code HOOKWIRE_MASTER_KEY}: nodes of one database share it. */
  public static String newMasterKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** An account in the store the servers will open, created before any of them starts. */
  public static Credentials createAccount(Optional<String> databaseUrl, Path dataDir) {
    String apiKey = ApiKeys.generate();
    try (Store store = Stores.open(databaseUrl, dataDir, 2)) {
      Account account = store.createAccount("Process test", ApiKeys.hash(apiKey), Instant.now());
      return new Credentials(account.id(), apiKey);
    }
  }

  /**
   * Starts {@code hookwire serve --host 127.0.0.1 --port 0 ARGS} and waits until it listens.
   *
   * @param env added to the environment, which is cleared of any other {@code HOOKWIRE_*}
   * @param log where the server's log goes
   */
  public static ServerProcess start(Map<String, String> env, Path log, List<String> args) {
    return launch(env, log, args).awaitListening();
  }

  /**
   * Starts the process without waiting for it: several nodes start side by side, then each {@link
   * #awaitListening}.
   */
  public static ServerProcess launch(Map<String, String> env, Path log, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    // Starts faster and takes less of a shared machine; these servers never run long.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.hookwire.cli.Main");
    command.add("serve");
    command.add("--host");
    command.add("127.0.0.1");
    command.add("--port");
    command.add("0");
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("HOOKWIRE_"));
    builder.environment().putAll(env);
    try {
      return new ServerProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the server listens, and learns its port. */
  public ServerProcess awaitListening() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = LISTENING.matcher(read(log));
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
        return this;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "hookwire serve exited with " + process.exitValue() + ":\n" + read(log));
      }
      try {
        // Polls a file another process writes; nothing to wait on instead.
        process.waitFor(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("hookwire serve did not listen within 90 s:\n" + read(log));
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public ApiClient api(Credentials account) {
    return new ApiClient(baseUrl(), account.accountId(), account.apiKey());
  }

  /** What the server has logged so far. */
  public String log() {
    return read(log);
  }

  /** SIGKILL: no shutdown hook, no last writes, as a crash or an OOM kill. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the killed server did not exit");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, as an operator stops a server; SIGKILL if it does not stop in time. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  private static String read(Path file) {
    try {
      // Bytes, not readString: the writer may be in the middle of a character.
      return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
