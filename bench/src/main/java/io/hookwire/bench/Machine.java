package io.hookwire.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the benchmark ran on, as Linux describes it; "unknown" elsewhere. */
final class Machine {
  private Machine() {}

  static String cpuModel() {
    return field(Path.of("/proc/cpuinfo"), "model name").orElse("unknown");
  }

  static long memoryMb() {
    return field(Path.of("/proc/meminfo"), "MemTotal")
        .map(v -> Long.parseLong(v.split("\\s+")[0]) / 1024)
        .orElse(-1L);
  }

  private static java.util.Optional<String> field(Path file, String name) {
    try {
      for (String line : Files.readAllLines(file)) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).strip().equals(name)) {
          return java.util.Optional.of(line.substring(colon + 1).strip());
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: reported as unknown
    }
    return java.util.Optional.empty();
  }
}
