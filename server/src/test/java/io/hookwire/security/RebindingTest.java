package io.hookwire.security;

import static io.hookwire.security.Calls.awaitLog;
import static io.hookwire.security.Calls.createWebhook;
import static io.hookwire.security.Calls.publishNewLead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ConfigEditor;
import io.hookwire.testing.FakeDns;
import io.hookwire.testing.LogCapture;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import io.hookwire.testing.TestTls;
import io.hookwire.testing.TlsReceiver;
import io.hookwire.testing.Tripwire;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Why this exists: DNS rebinding. A name that answers a harmless address while it is checked and an
 * internal one when it is used would defeat any check made apart from the connection. Here
 * 127.0.0.1 (allowed with --allow-targets) stands for the harmless public address and 127.0.0.2, on
 * the same port, for the internal one: a tripwire there proves no connection was ever made.
 */
class RebindingTest {

  private static TestServer server(StoreKind kind, FakeDns dns) {
    return TestServer.start(
        kind,
        c -> ConfigEditor.of(c).allowTargets("127.0.0.1/32").build(),
        b -> b.resolver(dns).httpClient(TestTls.trustingClient()));
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void aNameThatLaterResolvesToABlockedAddressIsBlockedAtThatDelivery(StoreKind kind) {
    FakeDns dns = new FakeDns();
    try (TlsReceiver receiver = new TlsReceiver("127.0.0.1");
        Tripwire internal = new Tripwire("127.0.0.2", receiver.port());
        TestServer server = server(kind, dns)) {
      dns.set("rebind.hookwire.test", "127.0.0.1").thenAnswer("rebind.hookwire.test", "127.0.0.2");
      ApiClient api = server.api();
      String id = createWebhook(api, receiver.url("rebind.hookwire.test", "/hook"));

      publishNewLead(api);
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
      assertThat(awaitLog(api, id, 1).get(0).at("/ResponseCode").asInt()).isEqualTo(200);

      // The receiver closed the connection, so this delivery resolves the name again.
      publishNewLead(api);
      JsonNode attempt = awaitLog(api, id, 2).get(0);

      assertThat(attempt.at("/ResponseCode").asInt()).isZero();
      assertThat(attempt.at("/Error").asText())
          .isEqualTo(
              "blocked: rebind.hookwire.test resolves to blocked addresses only: 127.0.0.2 is in"
                  + " 127.0.0.0/8 (loopback)");
      assertThat(dns.lookups()).containsOnly("rebind.hookwire.test").hasSizeGreaterThan(1);
      assertThat(receiver.received()).hasSize(1);
      assertThat(internal.connections()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void aNameWithAllowedAndBlockedAddressesIsConnectedOnlyToTheAllowedOnes(StoreKind kind) {
    FakeDns dns = new FakeDns();
    try (TlsReceiver receiver = new TlsReceiver("127.0.0.1");
        Tripwire internal = new Tripwire("127.0.0.2", receiver.port());
        LogCapture log = new LogCapture("io.hookwire.delivery.VettingDns");
        TestServer server = server(kind, dns)) {
      // The blocked address first: a client that tried addresses in order would go there.
      dns.set("mixed.hookwire.test", "127.0.0.2", "10.0.0.5", "127.0.0.1");
      ApiClient api = server.api();
      String id = createWebhook(api, receiver.url("mixed.hookwire.test", "/hook"));

      publishNewLead(api);
      publishNewLead(api);

      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 2);
      assertThat(awaitLog(api, id, 2))
          .allSatisfy(attempt -> assertThat(attempt.at("/ResponseCode").asInt()).isEqualTo(200));
      assertThat(internal.connections()).isZero();
      assertThat(log.messages())
          .anySatisfy(
              m ->
                  assertThat(m)
                      .startsWith("mixed.hookwire.test resolves to blocked addresses too")
                      .contains("127.0.0.2 is in 127.0.0.0/8 (loopback)")
                      .contains("10.0.0.5 is in 10.0.0.0/8 (private network)"));
    }
  }
}
