package io.hookwire.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwire.core.RetrySchedule;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What becomes of a payload after each attempt, on the API reference's schedule (5s, 25s, 125s).
 */
class OutcomeTest {
  private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
  private static final RetrySchedule SCHEDULE = RetrySchedule.REFERENCE;

  @Test
  void aSuccessDeliversWhateverTheAttempt() {
    assertThat(Outcome.after(true, 1, SCHEDULE, NOW)).isInstanceOf(Outcome.Delivered.class);
    assertThat(Outcome.after(true, 4, SCHEDULE, NOW)).isInstanceOf(Outcome.Delivered.class);
  }

  @Test
  void eachFailureWaitsItsOwnDelay() {
    assertThat(Outcome.after(false, 1, SCHEDULE, NOW))
        .isEqualTo(new Outcome.RetryAt(NOW.plusSeconds(5)));
    assertThat(Outcome.after(false, 2, SCHEDULE, NOW))
        .isEqualTo(new Outcome.RetryAt(NOW.plusSeconds(25)));
    assertThat(Outcome.after(false, 3, SCHEDULE, NOW))
        .isEqualTo(new Outcome.RetryAt(NOW.plusSeconds(125)));
  }

  @Test
  void theFailureAfterTheLastRetryGivesUp() {
    assertThat(Outcome.after(false, 4, SCHEDULE, NOW)).isInstanceOf(Outcome.GaveUp.class);
    assertThat(Outcome.after(false, 1, RetrySchedule.parse(""), NOW))
        .as("no retries at all")
        .isInstanceOf(Outcome.GaveUp.class);
  }
}
