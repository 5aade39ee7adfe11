package io.hookwire.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * JavaScript itself, as the {@code node} on this machine runs it: the reference's verification
 * snippet signs {@code JSON.stringify(payload)}, so what JavaScript makes of a body is the truth a
 * delivery has to match.
 *
 * <p>Without {@code node} on the PATH the calling test is skipped and says why, unless {@code
 * HOOKWIRE_TEST_REQUIRE_NODE=true} (CI sets it): then it fails, so CI can never pass without them.
 */
public final class NodeJs {
  /** Reads stdin as UTF-8 and writes back {@code JSON.stringify(JSON.parse(stdin))}. */
  private static final String ROUND_TRIP =
      "let s = ''; process.stdin.setEncoding('utf8');"
          + " process.stdin.on('data', d => s += d);"
          + " process.stdin.on('end', () => process.stdout.write(JSON.stringify(JSON.parse(s))));";

  private static volatile Boolean available;

  private NodeJs() {}

  public static void assumeAvailable() {
    if (Boolean.parseBoolean(System.getenv("HOOKWIRE_TEST_REQUIRE_NODE")) && !isAvailable()) {
      throw new IllegalStateException("no `node` on the PATH but HOOKWIRE_TEST_REQUIRE_NODE=true");
    }
    assumeTrue(isAvailable(), "JavaScript round-trip tests skipped: no `node` on the PATH");
  }

  public static boolean isAvailable() {
    if (available == null) {
      try {
        Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        available = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
      } catch (IOException e) {
        available = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        available = false;
      }
    }
    return available;
  }

  /** {@code JSON.stringify(JSON.parse(json))}, as UTF-8 bytes. */
  public static byte[] roundTrip(byte[] json) {
    assumeAvailable();
    return run(ROUND_TRIP, json);
  }

  public static String roundTrip(String json) {
    return new String(roundTrip(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  private static byte[] run(String script, byte[] stdin) {
    Path errors = null;
    try {
      errors = Files.createTempFile("node", ".err");
      Process p = new ProcessBuilder("node", "-e", script).redirectError(errors.toFile()).start();
      // The script reads all of stdin before it writes: no need to read and write at once.
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin);
      }
      byte[] output = read(p.getInputStream());
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("node did not finish within 60 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("node failed: " + Files.readString(errors));
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (errors != null) {
        errors.toFile().delete();
      }
    }
  }

  private static byte[] read(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
