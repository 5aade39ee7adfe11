package io.hookwire.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Oktopost's date format: {@code 2017-05-23 14:07:18}, in UTC. */
public final class Clocks {
  public static final DateTimeFormatter API_DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private Clocks() {}

  public static String format(Instant instant) {
    return API_DATE.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }
}
