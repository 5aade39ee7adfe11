package io.hookwire.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retry schedules as the API, the admin pages and {@code --retry-schedule} write them. */
class RetryScheduleTest {
  @Test
  void parsesEveryUnitAndWritesItBackTheSameWay() {
    RetrySchedule s = RetrySchedule.parse(" 250ms, 5s,10m ,2h,1d ");
    assertThat(s.delays())
        .containsExactly(
            Duration.ofMillis(250),
            Duration.ofSeconds(5),
            Duration.ofMinutes(10),
            Duration.ofHours(2),
            Duration.ofDays(1));
    assertThat(s).hasToString("250ms,5s,10m,2h,1d");
    assertThat(RetrySchedule.parse(s.toString())).isEqualTo(s);
  }

  @Test
  void theReferenceSchedulesAreTheDocumentedOnes() {
    assertThat(RetrySchedule.REFERENCE).hasToString("5s,25s,125s");
    assertThat(RetrySchedule.HELP_ARTICLE).hasToString("10m,10m,10m,10m,10m");
  }

  @Test
  void theDelayAfterEachFailedAttemptThenNone() {
    RetrySchedule s = RetrySchedule.parse("5s,25s");
    assertThat(s.delayAfter(1)).contains(Duration.ofSeconds(5));
    assertThat(s.delayAfter(2)).contains(Duration.ofSeconds(25));
    assertThat(s.delayAfter(3)).isEmpty();
    assertThat(s.delayAfter(0)).isEmpty();
    assertThat(RetrySchedule.parse("").delays()).isEmpty();
  }

  @Test
  void refusesWhatNoPersonMeans() {
    assertThatThrownBy(() -> RetrySchedule.parse("5 seconds"))
        .hasMessageContaining("comma-separated list of delays");
    assertThatThrownBy(() -> RetrySchedule.parse("5s,,25s"))
        .hasMessageContaining("comma-separated list of delays");
    assertThatThrownBy(() -> RetrySchedule.parse("8d")).hasMessageContaining("between 0 and 7d");
    assertThatThrownBy(() -> new RetrySchedule(List.of(Duration.ofSeconds(-1))))
        .hasMessageContaining("between 0 and 7d");
    assertThatThrownBy(() -> RetrySchedule.parse("1s,".repeat(26) + "1s"))
        .hasMessageContaining("at most 25 retries");
  }
}
