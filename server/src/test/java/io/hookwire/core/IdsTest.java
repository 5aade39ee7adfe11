package io.hookwire.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Ids are Oktopost's 15-character shape: two base-62 characters naming the tenth of a second they
 * were made in (so a batch's rows share a narrow range of each index), then ten random ones; every
 * node makes them without coordination, so they must not repeat and no random character may be
 * favoured.
 */
class IdsTest {
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  @ParameterizedTest
  @EnumSource(Ids.class)
  void everyIdHasItsTypesPrefixAndTwelveBase62Characters(Ids type) {
    for (int i = 0; i < 1_000; i++) {
      String id = type.next();

      assertThat(id).hasSize(15).matches("[0-9A-Za-z]{15}");
      assertThat(type.matches(id)).as(id).isTrue();
    }
  }

  @Test
  void anIdOfOneTypeDoesNotMatchAnother() {
    assertThat(Ids.WEBHOOK.matches(Ids.PAYLOAD.next())).isFalse();
    assertThat(Ids.ACCOUNT.matches(Ids.WEBHOOK.next())).isFalse();
    assertThat(Ids.ACCOUNT.matches(null)).isFalse();
    assertThat(Ids.ACCOUNT.matches("001" + "a".repeat(11))).isFalse();
    assertThat(Ids.ACCOUNT.matches("001" + "a".repeat(11) + "-")).isFalse();
  }

  @Test
  void idsDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200_000; i++) {
      assertThat(seen.add(Ids.EVENT.next())).isTrue();
    }
  }

  @Test
  void idsOfOneTenthOfASecondShareTheirTimeCharactersAndTheNextTenthDiffers() {
    long t = 1_764_000_000_000L;

    assertThat(Ids.PAYLOAD.next(t).substring(3, 5))
        .isEqualTo(Ids.PAYLOAD.next(t + 99).substring(3, 5))
        .isNotEqualTo(Ids.PAYLOAD.next(t + 100).substring(3, 5));
    assertThat(Ids.PAYLOAD.next(t).substring(5)).isNotEqualTo(Ids.PAYLOAD.next(t).substring(5));
  }

  // The time characters repeat every 62^2 tenths of a second, so every range of an index keeps
  // receiving new rows: ids spread over all 3,844 values, none of them left out.
  @Test
  void theTimeCharactersCycleThroughEveryValueEvery384Seconds() {
    long t = 1_764_000_000_000L;
    Set<String> seen = new HashSet<>();
    for (int tenth = 0; tenth < 62 * 62; tenth++) {
      seen.add(Ids.LOG.next(t + tenth * 100L).substring(3, 5));
    }

    assertThat(seen).hasSize(62 * 62);
    assertThat(Ids.LOG.next(t + 384_400).substring(3, 5))
        .isEqualTo(Ids.LOG.next(t).substring(3, 5));
  }

  // A mistake in cutting the random bytes into digits (a sign, a shift, a digit order) shows as
  // a character that never or too often appears in some position. 62,000 ids put 1,000 of each
  // character in each random position on average, with a standard deviation near 31: a count
  // outside 800 to 1,200 (six deviations) is a bug, not chance.
  @Test
  void everyCharacterIsAboutEquallyLikelyInEveryRandomPosition() {
    int ids = 62_000;
    int[][] counts = new int[10][62];
    for (int i = 0; i < ids; i++) {
      String id = Ids.PAYLOAD.next();
      for (int position = 0; position < 10; position++) {
        counts[position][ALPHABET.indexOf(id.charAt(5 + position))]++;
      }
    }

    for (int position = 0; position < 10; position++) {
      for (int c = 0; c < 62; c++) {
        assertThat(counts[position][c])
            .as("'%s' at position %d", ALPHABET.charAt(c), position)
            .isBetween(800, 1_200);
      }
    }
  }
}
