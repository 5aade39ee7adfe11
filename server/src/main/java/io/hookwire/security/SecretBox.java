package io.hookwire.security;

import io.hookwire.core.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts webhook secrets at rest with AES-256-GCM. The stored form is {@code v1:} followed by
 * base64 of nonce and ciphertext; the row's identity is bound in as associated data, so a secret
 * copied onto another webhook's row does not decrypt.
 */
public final class SecretBox {
  private static final String VERSION = "v1:";
  private static final int NONCE_BYTES = 12; // NIST SP 800-38D's recommended IV length for GCM
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey key;

  private SecretBox(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("the master key must be 32 bytes (base64 of 32 bytes)");
    }
    this.key = new SecretKeySpec(key, "AES");
  }

  public static SecretBox of(byte[] key) {
    return new SecretBox(key);
  }

  /**
   * The key from {@code base64Key} when given, else from {@code keyFile}, which is created with
   * mode 0600 on first use.
   */
  public static SecretBox load(String base64Key, Path keyFile) {
    if (base64Key != null && !base64Key.isBlank()) {
      return new SecretBox(decodeKey(base64Key.strip()));
    }
    try {
      if (!Files.exists(keyFile)) {
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        PrivateFiles.directory(keyFile.toAbsolutePath().getParent());
        try {
          Files.writeString(
              Files.createFile(
                  keyFile,
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rw-------"))),
              Base64.getEncoder().encodeToString(fresh) + "\n",
              StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException raced) {
          // Another process created it first; use theirs.
        }
      }
      return new SecretBox(decodeKey(Files.readString(keyFile, StandardCharsets.US_ASCII).strip()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read or create the master key file " + keyFile, e);
    }
  }

  private static byte[] decodeKey(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the master key must be base64 of 32 bytes", e);
    }
  }

  /**
   * What a webhook's secret is sealed for: its account and id. A sealed value copied onto another
   * row does not open there.
   */
  public static String webhookBinding(String accountId, String webhookId) {
    return accountId + "/" + webhookId;
  }

  /**
   * A key for {@code purpose} derived from the master key (HMAC-SHA256 of the purpose, as HKDF's
   * expand step does for one block): the same on every node, independent of the key that seals
   * secrets and of every other purpose's.
   */
  public byte[] derive(String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }

  public String seal(String plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return VERSION + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /**
   * @throws UnreadableSecretException when the value was sealed with another key or for another
   *     row, or is not a sealed value at all
   */
  public String open(String sealed, String context) {
    if (!sealed.startsWith(VERSION)) {
      throw new UnreadableSecretException("the stored secret has an unknown encoding", null);
    }
    byte[] in;
    try {
      in = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
    } catch (IllegalArgumentException e) {
      throw new UnreadableSecretException("the stored secret is damaged", e);
    }
    if (in.length <= NONCE_BYTES + TAG_BITS / 8) {
      throw new UnreadableSecretException("the stored secret is damaged", null);
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return new String(
          cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new UnreadableSecretException(
          "cannot decrypt the webhook secret: is HOOKWIRE_MASTER_KEY (or the master.key file) the"
              + " key it was stored with?",
          e);
    }
  }

  /** A stored secret that this key cannot open: a wrong master key, or a damaged row. */
  public static final class UnreadableSecretException extends IllegalStateException {
    UnreadableSecretException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
