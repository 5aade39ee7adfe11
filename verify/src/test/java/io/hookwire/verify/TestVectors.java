package io.hookwire.verify;

import java.nio.charset.StandardCharsets;

/**
 * Known-good signatures, computed independently of this library with OpenSSL (3.0) in a POSIX
 * shell, where
 *
 * <pre>
 * SECRET='test-secret'
 * BODY='{"event":"newLead","timestamp":1705315200,"webhookId":"0WA000000000001","data":{"leadId":"0LE000000000001","email":"jane@example.com","name":"Zoë"}}'
 * </pre>
 *
 * (the shell and terminal use UTF-8, so {@code ë} is the two bytes {@code c3 ab}).
 */
final class TestVectors {

  private TestVectors() {}

  static final String SECRET = "test-secret";
  static final String OLD_SECRET = "old-secret";

  static final String BODY_TEXT =
      "{\"event\":\"newLead\",\"timestamp\":1705315200,\"webhookId\":\"0WA000000000001\","
          + "\"data\":{\"leadId\":\"0LE000000000001\",\"email\":\"jane@example.com\","
          + "\"name\":\"Zoë\"}}";
  static final byte[] BODY = BODY_TEXT.getBytes(StandardCharsets.UTF_8);

  static final String MESSAGE_ID = "0WB000000000001";
  static final long TIMESTAMP = 1705315200L;

  /** {@code printf '%s' "$BODY" | openssl dgst -sha1 -hmac "$SECRET"} */
  static final String HMAC_SHA1_HEX = "c91d3a54e113a150cdf5ebcaae338921eaab053b";

  /** {@code printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET"} */
  static final String HMAC_SHA256_HEX =
      "b04f81c536c327164393f55e334b9705c493890bf2d202ba6b419ab05281d0d8";

  /**
   * {@code printf '%s' "0WB000000000001.1705315200.$BODY" | openssl dgst -sha256 -hmac "$SECRET"
   * -binary | base64}
   */
  static final String STANDARD_SIGNATURE = "v1,bx362uj7GOL5w0Vd/gcOQa3ygvqUB2uAjP5EZaCdASs=";

  /**
   * {@code printf '%s' "0WB000000000001.1705315200.$BODY" | openssl dgst -sha256 -hmac "old-secret"
   * -binary | base64}
   */
  static final String STANDARD_SIGNATURE_OLD_SECRET =
      "v1,Og28oBrRFZD1BNd7nuAo/MI+S7KfNTxH/+Ofh5xJaAg=";

  /** {@code printf '%s' "$SECRET" | base64} */
  static final String STANDARD_WEBHOOKS_KEY = "whsec_dGVzdC1zZWNyZXQ=";

  /** A Secret with non-ASCII characters: its UTF-8 bytes are 6b 6c 6a 75 c4 8d 2d f0 9f 94 91. */
  static final String UNICODE_SECRET = "ključ-\uD83D\uDD11";

  /** {@code printf '%s' "$BODY" | openssl dgst -sha256 -hmac 'ključ-🔑'} */
  static final String UNICODE_SECRET_HMAC_SHA256_HEX =
      "7ea7310a121b5a4bde1b47c8f4ba76430caacbf00de24b16db1f2df810130824";

  /** {@code printf '%s' 'ključ-🔑' | base64} */
  static final String UNICODE_SECRET_STANDARD_WEBHOOKS_KEY = "whsec_a2xqdcSNLfCflJE=";
}
