package io.hookwire.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How long to wait before each retry. The i-th element is the delay after the i-th failed attempt;
 * when the list is used up the payload is abandoned.
 */
public record RetrySchedule(List<Duration> delays) {
  // Constants in this order: the schedules at the end are parsed while this class initializes.
  private static final Pattern STEP = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  /** Enough for any schedule a person means; bounds the work a single payload can cause. */
  public static final int MAX_RETRIES = 25;

  /** A week: beyond that a receiver is gone, and resend exists for bringing data back. */
  public static final Duration MAX_DELAY = Duration.ofDays(7);

  /** The API reference: "3 times ... exponential backoff (5s, 25s, 125s)". */
  public static final RetrySchedule REFERENCE = parse("5s,25s,125s");

  /** The help article: "10-minute intervals for up to 5 additional attempts". */
  public static final RetrySchedule HELP_ARTICLE = parse("10m,10m,10m,10m,10m");

  public RetrySchedule {
    delays = List.copyOf(delays);
    if (delays.size() > MAX_RETRIES) {
      throw new IllegalArgumentException("at most " + MAX_RETRIES + " retries");
    }
    for (Duration d : delays) {
      if (d.isNegative() || d.compareTo(MAX_DELAY) > 0) {
        throw new IllegalArgumentException("each delay must be between 0 and 7d");
      }
    }
  }

  /**
   * Parses {@code "5s,25s,125s"}; units ms, s, m, h, d. An empty string means no retries.
   *
   * @throws IllegalArgumentException with a message fit for an API error
   */
  public static RetrySchedule parse(String text) {
    String trimmed = text == null ? "" : text.strip();
    List<Duration> delays = new ArrayList<>();
    if (!trimmed.isEmpty()) {
      for (String part : trimmed.split(",", -1)) {
        Matcher m = STEP.matcher(part.strip());
        if (!m.matches()) {
          throw new IllegalArgumentException(
              "must be a comma-separated list of delays such as 5s,25s,125s (units ms, s, m, h, d)");
        }
        long n = Long.parseLong(m.group(1));
        delays.add(
            switch (m.group(2)) {
              case "ms" -> Duration.ofMillis(n);
              case "s" -> Duration.ofSeconds(n);
              case "m" -> Duration.ofMinutes(n);
              case "h" -> Duration.ofHours(n);
              default -> Duration.ofDays(n);
            });
      }
    }
    return new RetrySchedule(delays);
  }

  /**
   * The delay before the next attempt after {@code failedAttempts} attempts have failed, or empty
   * when the schedule is used up and the payload is to be abandoned.
   */
  public Optional<Duration> delayAfter(int failedAttempts) {
    if (failedAttempts < 1 || failedAttempts > delays.size()) {
      return Optional.empty();
    }
    return Optional.of(delays.get(failedAttempts - 1));
  }

  @Override
  public String toString() {
    return delays.stream().map(RetrySchedule::format).collect(Collectors.joining(","));
  }

  private static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000 == 0 && ms > 0) return ms / 86_400_000 + "d";
    if (ms % 3_600_000 == 0 && ms > 0) return ms / 3_600_000 + "h";
    if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
    if (ms % 1_000 == 0) return ms / 1_000 + "s";
    return ms + "ms";
  }
}
