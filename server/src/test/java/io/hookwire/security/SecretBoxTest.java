package io.hookwire.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
  @TempDir Path dir;

  @Test
  void aSealedSecretOpensOnlyWithTheSameKeyAndRow() {
    SecretBox box = SecretBox.of(key());
    String sealed = box.seal("a1b2c3", "001A/0WA1");

    assertThat(sealed).startsWith("v1:").doesNotContain("a1b2c3");
    assertThat(box.open(sealed, "001A/0WA1")).isEqualTo("a1b2c3");
    assertThat(box.seal("a1b2c3", "001A/0WA1")).as("a fresh nonce each time").isNotEqualTo(sealed);
    assertThatThrownBy(() -> box.open(sealed, "001A/0WA2"))
        .isInstanceOf(SecretBox.UnreadableSecretException.class);
    assertThatThrownBy(() -> SecretBox.of(key()).open(sealed, "001A/0WA1"))
        .isInstanceOf(SecretBox.UnreadableSecretException.class)
        .hasMessageContaining("HOOKWIRE_MASTER_KEY");
  }

  @Test
  void damagedStoredValuesAreReportedNotThrownAsSomethingElse() {
    SecretBox box = SecretBox.of(key());
    for (String damaged : new String[] {"", "plain", "v1:", "v1:!!!", "v1:AAAA", "v2:AAAA"}) {
      assertThatThrownBy(() -> box.open(damaged, "ctx"))
          .as(damaged)
          .isInstanceOf(SecretBox.UnreadableSecretException.class);
    }
  }

  @Test
  void theKeyFileIsCreatedOnceWithOwnerOnlyPermissions() throws IOException {
    Path keyFile = dir.resolve("data/master.key");
    SecretBox first = SecretBox.load(null, keyFile);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    assertThat(Base64.getDecoder().decode(Files.readString(keyFile).strip())).hasSize(32);
    String sealed = first.seal("secret", "ctx");
    assertThat(SecretBox.load("", keyFile).open(sealed, "ctx")).isEqualTo("secret");
  }

  @Test
  void aGivenMasterKeyIsUsedAndNoKeyFileIsWritten() {
    byte[] key = key();
    Path keyFile = dir.resolve("master.key");
    String sealed = SecretBox.load(Base64.getEncoder().encodeToString(key), keyFile).seal("s", "c");

    assertThat(keyFile).doesNotExist();
    assertThat(SecretBox.of(key).open(sealed, "c")).isEqualTo("s");
  }

  @Test
  void aMasterKeyOfTheWrongShapeIsRefusedWithTheRule() {
    assertThatThrownBy(() -> SecretBox.load("not base64!", dir.resolve("k")))
        .hasMessageContaining("base64 of 32 bytes");
    assertThatThrownBy(() -> SecretBox.load("AAAA", dir.resolve("k")))
        .hasMessageContaining("32 bytes");
  }

  private static byte[] key() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }
}
