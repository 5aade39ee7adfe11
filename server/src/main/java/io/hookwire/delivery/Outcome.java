package io.hookwire.delivery;

import io.hookwire.core.RetrySchedule;
import java.time.Instant;

/** What becomes of a payload after an attempt. */
public sealed interface Outcome {
  record Delivered() implements Outcome {}

  record RetryAt(Instant at) implements Outcome {}

  record GaveUp() implements Outcome {}

  /**
   * @param attempt the number of the attempt that just ended, from 1
   */
  static Outcome after(boolean success, int attempt, RetrySchedule schedule, Instant now) {
    if (success) {
      return new Delivered();
    }
    return schedule
        .delayAfter(attempt)
        .<Outcome>map(delay -> new RetryAt(now.plus(delay)))
        .orElseGet(GaveUp::new);
  }
}
