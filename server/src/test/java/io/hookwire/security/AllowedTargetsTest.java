package io.hookwire.security;

import static io.hookwire.security.Calls.awaitLog;
import static io.hookwire.security.Calls.createWebhook;
import static io.hookwire.security.Calls.fieldError;
import static io.hookwire.security.Calls.publishNewLead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.Hookwire;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ConfigEditor;
import io.hookwire.testing.FakeDns;
import io.hookwire.testing.LogCapture;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import io.hookwire.testing.TestTls;
import io.hookwire.testing.TlsReceiver;
import io.hookwire.testing.Tripwire;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Why this exists: the switches that open the policy must open exactly what they say. With {@code
 * --allow-targets 127.0.0.1/32} a real HTTPS receiver on 127.0.0.1 gets its deliveries, while
 * 127.0.0.2 (loopback too, but outside the range) stays blocked by literal and by name; {@code
 * --allow-private-targets} lets plain http:// to loopback through.
 */
class AllowedTargetsTest {

  private static TestServer allowingLoopbackOne(StoreKind kind, FakeDns dns) {
    return TestServer.start(
        kind,
        c -> ConfigEditor.of(c).allowTargets("127.0.0.1/32").build(),
        b -> b.resolver(dns).httpClient(TestTls.trustingClient()));
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void anAllowedRangeIsDeliveredToOverHttps(StoreKind kind) {
    FakeDns dns = new FakeDns();
    try (TlsReceiver receiver = new TlsReceiver("127.0.0.1");
        TestServer server = allowingLoopbackOne(kind, dns)) {
      dns.set("inside.hookwire.test", "127.0.0.1");
      ApiClient api = server.api();
      String byAddress = createWebhook(api, receiver.url("/by-address"));
      String byName = createWebhook(api, receiver.url("inside.hookwire.test", "/by-name"));

      publishNewLead(api);

      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 2);
      assertThat(receiver.received())
          .extracting(RecordingReceiver.Received::path)
          .containsExactlyInAnyOrder("/by-address", "/by-name");
      for (String id : new String[] {byAddress, byName}) {
        JsonNode attempt = awaitLog(api, id, 1).get(0);
        assertThat(attempt.at("/ResponseCode").asInt()).isEqualTo(200);
        assertThat(attempt.at("/Error").isNull()).as(attempt.toString()).isTrue();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void anAddressOutsideTheAllowedRangeStaysBlocked(StoreKind kind) {
    FakeDns dns = new FakeDns();
    try (Tripwire outside = new Tripwire("127.0.0.2");
        TestServer server = allowingLoopbackOne(kind, dns)) {
      dns.set("outside.hookwire.test", "127.0.0.2");
      ApiClient api = server.api();

      var literal =
          api.postForm(
              "/v2/webhook",
              Map.of(
                  "event",
                  "newLead",
                  "name",
                  "Outside",
                  "url",
                  "https://127.0.0.2:" + outside.port() + "/hook"));
      assertThat(fieldError(literal, "url"))
          .isEqualTo("Url points to a blocked address: 127.0.0.2 is in 127.0.0.0/8 (loopback)");
      var http =
          api.postForm(
              "/v2/webhook",
              Map.of("event", "newLead", "name", "Plain", "url", "http://127.0.0.1:9/hook"));
      assertThat(fieldError(http, "url")).isEqualTo("Url must use https://");

      String id = createWebhook(api, "https://outside.hookwire.test:" + outside.port() + "/hook");
      publishNewLead(api);

      JsonNode attempt = awaitLog(api, id, 1).get(0);
      assertThat(attempt.at("/ResponseCode").asInt()).isZero();
      assertThat(attempt.at("/Error").asText())
          .isEqualTo(
              "blocked: outside.hookwire.test resolves to blocked addresses only: 127.0.0.2 is in"
                  + " 127.0.0.0/8 (loopback)");
      assertThat(outside.connections()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void allowPrivateTargetsLetsPlainHttpToLoopbackThrough(StoreKind kind) {
    try (RecordingReceiver receiver = new RecordingReceiver();
        TestServer server =
            TestServer.start(
                kind, c -> ConfigEditor.of(c).allowPrivateTargets(true).build(), b -> b)) {
      ApiClient api = server.api();
      String id = createWebhook(api, receiver.url("/dev"));

      publishNewLead(api);

      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
      assertThat(awaitLog(api, id, 1).get(0).at("/ResponseCode").asInt()).isEqualTo(200);
    }
  }

  @Test
  void theStartUpLogStatesThePolicyInForce() {
    try (LogCapture log = new LogCapture(Hookwire.class)) {
      try (TestServer strict =
          TestServer.start(StoreKind.SQLITE, c -> ConfigEditor.of(c).strict().build(), b -> b)) {
        assertThat(log.messages())
            .anyMatch(m -> m.endsWith("targets: https:// to globally reachable addresses only"));
      }
      try (TestServer allowing =
          TestServer.start(
              StoreKind.SQLITE,
              c -> ConfigEditor.of(c).allowTargets("10.1.0.0/16", "127.0.0.1/32").build(),
              b -> b)) {
        assertThat(log.messages())
            .anyMatch(
                m ->
                    m.endsWith(
                        "targets: https:// to globally reachable addresses and to 10.1.0.0/16,"
                            + " 127.0.0.1/32 (--allow-targets)"));
      }
      try (TestServer permissive = TestServer.start(StoreKind.SQLITE)) {
        assertThat(log.messages())
            .anyMatch(m -> m.endsWith("targets: " + TargetPolicy.permissive().describe()));
      }
    }
  }
}
