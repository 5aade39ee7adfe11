package io.hookwire.testing;

import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A self-signed certificate for the loopback names and addresses and for any {@code
 * *.hookwire.test} name (which tests map to addresses with a {@link FakeDns}), for HTTPS receivers,
 * and an OkHttp client that trusts it: a strict server only sends over https://, so tests of
 * allowed deliveries need both ends of a real TLS connection.
 */
public final class TestTls {
  private static final HeldCertificate CERTIFICATE =
      new HeldCertificate.Builder()
          .commonName("localhost")
          .addSubjectAlternativeName("localhost")
          .addSubjectAlternativeName("*.hookwire.test")
          .addSubjectAlternativeName("127.0.0.1")
          .addSubjectAlternativeName("127.0.0.2")
          .addSubjectAlternativeName("::1")
          .build();

  private static final HandshakeCertificates SERVER =
      new HandshakeCertificates.Builder().heldCertificate(CERTIFICATE).build();

  private static final HandshakeCertificates CLIENT =
      new HandshakeCertificates.Builder().addTrustedCertificate(CERTIFICATE.certificate()).build();

  private TestTls() {}

  public static HandshakeCertificates server() {
    return SERVER;
  }

  /** Client settings for {@code Hookwire.Builder.httpClient}: trusts the test certificate only. */
  public static OkHttpClient.Builder trustingClient() {
    return new OkHttpClient.Builder()
        .sslSocketFactory(CLIENT.sslSocketFactory(), CLIENT.trustManager());
  }
}
