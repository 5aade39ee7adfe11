package io.hookwire.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeysTest {
  @Test
  void aKeyMatchesOnlyItsOwnHash() {
    String key = ApiKeys.generate();
    String hash = ApiKeys.hash(key);

    assertThat(key).hasSize(64).matches("[0-9a-f]+");
    assertThat(hash).hasSize(64).isNotEqualTo(key);
    assertThat(ApiKeys.matches(key, hash)).isTrue();
    assertThat(ApiKeys.matches(ApiKeys.generate(), hash)).isFalse();
    assertThat(ApiKeys.matches(key.substring(1), hash)).isFalse();
    assertThat(ApiKeys.matches("", hash)).isFalse();
    // A stored value of another length is a mismatch, not an error.
    assertThat(ApiKeys.matches(key, hash.substring(1))).isFalse();
    assertThat(ApiKeys.matches(key, "")).isFalse();
  }

  @Test
  void keysAreNeverRepeated() {
    assertThat(ApiKeys.generate()).isNotEqualTo(ApiKeys.generate());
    assertThat(Secrets.generate()).isNotEqualTo(Secrets.generate()).hasSize(64);
  }
}
