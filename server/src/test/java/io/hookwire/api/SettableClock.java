package io.hookwire.api;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still until a test moves it, so dates in answers can be asserted exactly (the
 * API shows them to the second).
 */
final class SettableClock extends Clock {
  private volatile Instant now;

  SettableClock(Instant start) {
    this.now = start;
  }

  /** Sets the time from the API's own format, {@code 2017-05-23 14:07:18} (UTC). */
  void set(String apiDate) {
    now = LocalDateTime.parse(apiDate.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the API works in UTC only");
  }
}
