package io.hookwire.security;

import static io.hookwire.security.Calls.awaitLog;
import static io.hookwire.security.Calls.createWebhook;
import static io.hookwire.security.Calls.fieldError;
import static io.hookwire.security.Calls.publishNewLead;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ApiClient.Answer;
import io.hookwire.testing.ConfigEditor;
import io.hookwire.testing.FakeDns;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import io.hookwire.testing.Tripwire;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Why this exists: a webhook service sends requests wherever its users point it, so a server with
 * the default policy must refuse every internal address, however it is spelled and whether it comes
 * as a literal in the URL (refused at once) or behind a name (refused at delivery, before any
 * connection). Real servers, real sockets; names come from a FakeDns.
 */
class BlockedTargetsTest {
  private static final Map<StoreKind, TestServer> SERVERS = new EnumMap<>(StoreKind.class);
  private static final FakeDns DNS = new FakeDns();
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static Tripwire loopback;
  private static Tripwire loopbackV6;

  /** Literal hosts of every blocked range and spelling; {@code PORT} is a tripwire's. */
  static final List<String> BLOCKED_LITERALS =
      List.of(
          "https://127.0.0.1:PORT/hook",
          "https://[::1]:PORT/hook",
          "https://10.0.0.5/hook",
          "https://172.16.0.1/hook",
          "https://172.31.255.254/hook",
          "https://192.168.1.1/hook",
          "https://169.254.169.254/latest/meta-data/",
          "https://100.64.0.1/hook",
          "https://0.0.0.0:PORT/hook",
          "https://224.0.0.1/hook",
          "https://255.255.255.255/hook",
          "https://240.0.0.1/hook",
          "https://[fe80::1]/hook",
          "https://[fc00::1]/hook",
          "https://[fd00::2]/hook",
          "https://[::ffff:127.0.0.1]:PORT/hook",
          "https://[::ffff:7f00:1]:PORT/hook",
          "https://[::127.0.0.1]:PORT/hook",
          "https://[64:ff9b::a00:1]/hook",
          "https://[2002:7f00:1::]/hook",
          "https://2130706433:PORT/hook",
          "https://0x7f000001:PORT/hook",
          "https://0X7F000001:PORT/hook",
          "https://017700000001:PORT/hook",
          "https://0177.0.0.1:PORT/hook",
          "https://0127.0.0.1:PORT/hook",
          "https://127.1:PORT/hook",
          "https://127.0.0.1.:PORT/hook",
          "https://localhost:PORT/hook",
          "https://localhost.:PORT/hook",
          "https://LocalHost:PORT/hook",
          "https://[fe80::1%25eth0]/hook");

  /** Addresses a name may resolve to that a delivery must not reach. */
  static final List<String> BLOCKED_ADDRESSES =
      List.of(
          "127.0.0.1",
          "127.0.0.2",
          "10.0.0.5",
          "172.16.0.1",
          "192.168.1.1",
          "169.254.169.254",
          "100.64.0.1",
          "0.0.0.0",
          "224.0.0.1",
          "255.255.255.255",
          "240.0.0.1",
          "::1",
          "fe80::1",
          "fc00::1",
          "::ffff:127.0.0.1",
          "::127.0.0.1",
          "64:ff9b::a00:1",
          "2002:7f00:1::");

  @BeforeAll
  static void tripwires() {
    loopback = new Tripwire("127.0.0.1");
    loopbackV6 = new Tripwire("::1", loopback.port());
  }

  @AfterAll
  static void stopAll() {
    SERVERS.values().forEach(TestServer::close);
    SERVERS.clear();
    loopback.close();
    loopbackV6.close();
  }

  /** A strict server per store, shared by the tests of this class; each test has its account. */
  private static synchronized TestServer server(StoreKind kind) {
    return SERVERS.computeIfAbsent(
        kind,
        k -> TestServer.start(k, c -> ConfigEditor.of(c).strict().build(), b -> b.resolver(DNS)));
  }

  static Stream<Arguments> literals() {
    List<Arguments> out = new ArrayList<>();
    for (StoreKind kind : StoreKind.values()) {
      BLOCKED_LITERALS.forEach(url -> out.add(Arguments.of(kind, url)));
    }
    return out.stream();
  }

  static Stream<Arguments> addresses() {
    List<Arguments> out = new ArrayList<>();
    for (StoreKind kind : StoreKind.values()) {
      BLOCKED_ADDRESSES.forEach(address -> out.add(Arguments.of(kind, address)));
    }
    return out.stream();
  }

  private static String withPort(String url) {
    return url.replace("PORT", Integer.toString(loopback.port()));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("literals")
  void blockedLiteralIsRefusedAtCreationNamingTheUrl(StoreKind kind, String url) {
    ApiClient api = server(kind).newAccount("literals");
    String target = withPort(url);

    Answer form =
        api.postForm("/v2/webhook", Map.of("event", "newLead", "name", "Hook", "url", target));
    assertThat(fieldError(form, "url"))
        .matches("Url (points to a blocked address: .+|must not contain an IPv6 zone id)");
    Answer json =
        api.postJson(
            "/v2/webhook", "{\"event\":\"newLead\",\"name\":\"Hook\",\"url\":\"" + target + "\"}");
    assertThat(fieldError(json, "url")).isEqualTo(fieldError(form, "url"));

    assertThat(api.get("/v2/webhook").json().at("/Total").asInt()).isZero();
    assertThat(loopback.connections() + loopbackV6.connections()).isZero();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void blockedLiteralIsRefusedOnUpdateAndTheWebhookKeepsItsUrl(StoreKind kind) {
    ApiClient api = server(kind).newAccount("updates");
    String id = createWebhook(api, "https://hooks.example.com/crm");

    for (String url : BLOCKED_LITERALS) {
      String target = withPort(url);
      Answer post = api.postForm("/v2/webhook/" + id, Map.of("url", target));
      assertThat(fieldError(post, "url")).as(target).startsWith("Url ");
      Answer put = api.putForm("/v2/webhook/" + id, Map.of("url", target, "name", "Renamed"));
      assertThat(fieldError(put, "url")).as(target).startsWith("Url ");
    }

    JsonNode webhook = api.get("/v2/webhook/" + id).json().at("/Webhook");
    assertThat(webhook.at("/Url").asText()).isEqualTo("https://hooks.example.com/crm");
    assertThat(webhook.at("/Name").asText()).isEqualTo("Target");
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void plainHttpIsRefusedByDefault(StoreKind kind) {
    ApiClient api = server(kind).newAccount("http");

    Answer created =
        api.postForm(
            "/v2/webhook",
            Map.of("event", "newLead", "name", "Hook", "url", "http://hooks.example.com/"));

    assertThat(fieldError(created, "url")).isEqualTo("Url must use https://");
    String id = createWebhook(api, "https://hooks.example.com/");
    assertThat(
            fieldError(
                api.postForm("/v2/webhook/" + id, Map.of("url", "http://hooks.example.com/")),
                "url"))
        .isEqualTo("Url must use https://");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("addresses")
  void nameResolvingToABlockedAddressIsBlockedAtDeliveryAndNeverConnected(
      StoreKind kind, String address) {
    ApiClient api = server(kind).newAccount("names");
    String name = "internal-" + NAMES.incrementAndGet() + ".hookwire.test";
    DNS.set(name, address);
    int lookupsBefore = (int) DNS.lookups().stream().filter(name::equals).count();
    String id = createWebhook(api, "https://" + name + ":" + loopback.port() + "/hook");
    assertThat(DNS.lookups().stream().filter(name::equals).count())
        .as("names are not resolved when a webhook is created")
        .isEqualTo(lookupsBefore);

    publishNewLead(api);

    JsonNode attempt = awaitLog(api, id, 1).get(0);
    assertThat(attempt.at("/ResponseCode").asInt()).isZero();
    assertThat(attempt.at("/Error").asText())
        .startsWith("blocked: " + name + " resolves to blocked addresses only: ");
    assertThat(DNS.lookups()).contains(name);
    assertThat(loopback.connections() + loopbackV6.connections()).isZero();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void webhooksMadeUnderAPermissivePolicyAreBlockedOnceTheServerIsStrict(StoreKind kind) {
    // The delivery side judges every URL again: a store filled while --allow-private-targets was
    // on (or by hand) must not become a way around the policy.
    List<String> urls =
        List.of(
            "https://127.0.0.1:PORT/hook",
            "https://0127.0.0.1:PORT/hook",
            "https://127.0.0.1.:PORT/hook",
            "https://2130706433:PORT/hook",
            "https://localhost:PORT/hook",
            "https://[::1]:PORT/hook",
            "http://127.0.0.1:PORT/hook");
    List<String> ids = new ArrayList<>();
    TestServer permissive = TestServer.start(kind);
    ApiClient before = permissive.api();
    try (permissive) {
      urls.forEach(url -> ids.add(createWebhook(before, withPort(url))));
    }

    try (TestServer strict =
        TestServer.start(
            kind,
            c ->
                ConfigEditor.of(c)
                    .storage(permissive.dataDir, permissive.config.databaseUrl())
                    .strict()
                    .build(),
            b -> b.resolver(DNS))) {
      ApiClient api = new ApiClient(strict.baseUrl(), permissive.accountId, permissive.apiKey);
      publishNewLead(api);

      for (int i = 0; i < ids.size(); i++) {
        JsonNode attempt = awaitLog(api, ids.get(i), 1).get(0);
        assertThat(attempt.at("/ResponseCode").asInt()).as(urls.get(i)).isZero();
        assertThat(attempt.at("/Error").asText()).as(urls.get(i)).startsWith("blocked: ");
      }
      assertThat(loopback.connections() + loopbackV6.connections()).isZero();
    }
  }
}
