package io.hookwire.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hookwire server measured as users run it: {@code hookwire serve} in a JVM of its own, so that
 * its CPU time, heap and resident memory are its own, not shared with the benchmark's producer and
 * sink. It runs on the classpath of this process (the server's jar, which {@code
 * hookwire-bench.jar} names in its manifest, or the build's class path in tests), with {@link
 * #HEAP_MB} as its heap and none of this process's {@code HOOKWIRE_} environment (so only the
 * options given configure it), and logs to a file beside its data; its collector's log gives its
 * heap before and after each collection.
 */
final class ServerProcess implements AutoCloseable {
  /** The memory target of the server: the heap it is given, and so what a finished run shows. */
  static final long HEAP_MB = 512;

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** How long a graceful stop may take: in-flight requests finish, the recorder flushes. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private static final Pattern LISTENING = Pattern.compile("listening on [^ ]+:(\\d+)");

  /** G1's unified log line of a pause: {@code ... 301M->42M(512M) 3.2ms}. */
  private static final Pattern HEAP_CHANGE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  private final Process process;
  private final Path log;
  private final Path gcLog;
  private final int port;
  private int gcLogRead;
  private OptionalLong peakRss = OptionalLong.empty();
  private Heap phaseHeap = new Heap(0, 0);
  private Heap runHeap = new Heap(0, 0);

  private ServerProcess(Process process, Path log, Path gcLog, int port) {
    this.process = process;
    this.log = log;
    this.gcLog = gcLog;
    this.port = port;
  }

  /**
   * Starts {@code hookwire serve} with these options after the listening address and the data
   * directory's, and waits until it listens.
   *
   * @param name names the log files in {@code dir}: {@code <name>.log}, {@code <name>-gc.log}
   */
  static ServerProcess start(String name, Path dir, List<String> serveOptions) {
    Path log = dir.resolve(name + ".log");
    Path gcLog = dir.resolve(name + "-gc.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + HEAP_MB + "m");
    command.add("-Xlog:gc:file=" + gcLog);
    // SQLite's driver loads its native library: allowed, without a warning in the log.
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.hookwire.cli.Main");
    command.add("serve");
    command.addAll(List.of("--host", "127.0.0.1", "--port", "0", "--data-dir", dir.toString()));
    command.addAll(serveOptions);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(variable -> variable.startsWith("HOOKWIRE_"));
    Process process;
    try {
      Files.createDirectories(dir);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      Matcher m = LISTENING.matcher(read(log));
      if (m.find()) {
        return new ServerProcess(process, log, gcLog, Integer.parseInt(m.group(1)));
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "the server did not start (exit "
                + (process.isAlive() ? "none" : process.exitValue())
                + "); its output:\n"
                + read(log));
      }
      LockSupport.parkNanos(20_000_000);
    }
  }

  int port() {
    return port;
  }

  /** CPU time the server has used so far, user and kernel, in nanoseconds. */
  long cpuNanos() {
    return process.toHandle().info().totalCpuDuration().orElseThrow().toNanos();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Peak resident set size in bytes, where the kernel reports it (Linux): as it was when the server
   * stopped, once it has.
   */
  OptionalLong peakRss() {
    if (process.isAlive()) {
      peakRss = kernelPeakRss();
    }
    return peakRss;
  }

  private OptionalLong kernelPeakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", process.pid() + "", "status"))) {
        if (line.startsWith("VmHWM:")) {
          String[] parts = line.substring("VmHWM:".length()).strip().split("\\s+");
          return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone: the figure is reported as absent
    }
    return OptionalLong.empty();
  }

  /** Starts a phase's own heap peaks. */
  void startPhase() {
    readGcLog();
    phaseHeap = new Heap(0, 0);
  }

  /** The heap peaks since {@link #startPhase}, from the collections logged since. */
  Heap phaseHeap() {
    readGcLog();
    return phaseHeap;
  }

  /** The heap peaks of the whole run. */
  Heap heap() {
    readGcLog();
    return runHeap;
  }

  /**
   * Heap peaks in MB as the collector logged them: in use just before a collection (the most the
   * heap held), and live just after one. 0 when no collection ran.
   */
  record Heap(long usedMb, long afterGcMb) {
    Heap max(long used, long afterGc) {
      return new Heap(Math.max(usedMb, used), Math.max(afterGcMb, afterGc));
    }
  }

  private void readGcLog() {
    String text = read(gcLog);
    // Only whole lines: the collector may be writing the last one.
    int end = text.lastIndexOf('\n') + 1;
    if (end <= gcLogRead) {
      return;
    }
    Matcher m = HEAP_CHANGE.matcher(text.substring(gcLogRead, end));
    while (m.find()) {
      long before = Long.parseLong(m.group(1));
      long after = Long.parseLong(m.group(2));
      phaseHeap = phaseHeap.max(before, after);
      runHeap = runHeap.max(before, after);
    }
    gcLogRead = end;
  }

  /** Records a JFR profile until {@link #stopProfile}, with JFR's "profile" settings. */
  void startProfile(String name) {
    jcmd("JFR.start", "name=" + name, "settings=profile");
  }

  void stopProfile(String name, Path file) {
    jcmd("JFR.stop", "name=" + name, "filename=" + file.toAbsolutePath());
  }

  private void jcmd(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    command.add(String.valueOf(process.pid()));
    command.addAll(List.of(args));
    try {
      Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (jcmd.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Stops the server as an operator does (SIGTERM: it finishes what it sends, then exits). */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    peakRss();
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "the server did not stop within " + STOP_TIMEOUT.toSeconds() + " s; see " + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static String read(Path file) {
    try {
      // Bytes, not readString: the server may be in the middle of writing a character.
      return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
