package io.hookwire.delivery;

import static io.hookwire.delivery.Deliveries.createWebhook;
import static io.hookwire.delivery.Deliveries.publishNumbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookwire.security.TargetPolicy;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ConfigEditor;
import io.hookwire.testing.CountingReceiver;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Why this exists: many webhooks on one host must not open a connection per webhook and request
 * slot (100 × 16 in the benchmark's fan-out, whose pool scans then dominated the send path).
 * Requests on the wire are bounded per host and port, whatever the webhooks, and nothing waiting
 * for a place is lost.
 */
class DestinationLimitTest {
  private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void manyWebhooksOnOneHostShareItsBoundAndEveryDeliveryArrives(StoreKind kind) {
    int bound = 4;
    int webhooks = 10;
    int events = 5;
    try (TestServer server =
            TestServer.start(
                kind,
                c ->
                    ConfigEditor.of(c)
                        .concurrencyPerDestination(bound)
                        // Long enough that held requests stay on the wire and waiting ones wait.
                        .deliveryTimeout(Duration.ofSeconds(30))
                        .build(),
                b -> b);
        CountingReceiver receiver = new CountingReceiver()) {
      ApiClient api = server.api();
      for (int i = 0; i < webhooks; i++) {
        createWebhook(api, receiver.url("/hook/" + i));
      }
      receiver.hold();

      // 50 payloads: the webhooks' own limit (16 each) would put all of them on the wire at once.
      publishNumbered(api, events);

      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requestsInProgress() >= bound);
      receiver.release();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> receiver.payloadIds().size() == webhooks * events);
      assertThat(receiver.mostRequestsAtOnce()).isEqualTo(bound);
      assertThat(receiver.mostConnectionsAtOnce()).isBetween(1, bound);
    }
  }

  @Test
  void eachDestinationHasABoundOfItsOwn() throws Exception {
    int bound = 3;
    // Closed in reverse: the receivers let held requests go before the threads are awaited.
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        OkHttpSender sender = sender(bound, Duration.ofSeconds(30));
        CountingReceiver first = new CountingReceiver().hold();
        CountingReceiver second = new CountingReceiver().hold()) {
      List<Future<Reply>> sent = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        sent.add(threads.submit(() -> sender.post(first.url("/a"), Map.of(), BODY)));
        sent.add(threads.submit(() -> sender.post(second.url("/b"), Map.of(), BODY)));
      }

      // A host at its bound does not hold up another one.
      await().atMost(Duration.ofSeconds(20)).until(() -> first.requestsInProgress() >= bound);
      await().atMost(Duration.ofSeconds(20)).until(() -> second.requestsInProgress() >= bound);
      first.release();
      second.release();

      for (Future<Reply> response : sent) {
        assertThat(response.get().code()).as(String.valueOf(response.get())).isEqualTo(200);
      }
      for (CountingReceiver receiver : List.of(first, second)) {
        assertThat(receiver.requests()).isEqualTo(10);
        assertThat(receiver.mostRequestsAtOnce()).isEqualTo(bound);
        assertThat(receiver.mostConnectionsAtOnce()).isBetween(1, bound);
      }
      // Nothing is kept for a destination with nothing waiting or on the wire.
      assertThat(sender.busyDestinations()).isZero();
    }
  }

  // One place, three requests: the first is held on the wire until it times out, the second then
  // gets the place, and the third, having waited a whole timeout, gives up without being sent.
  @Test
  void aRequestThatFindsNoPlaceWithinTheTimeoutIsNotSent() throws Exception {
    Duration timeout = Duration.ofSeconds(2);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        OkHttpSender sender = sender(1, timeout);
        CountingReceiver receiver = new CountingReceiver().hold()) {
      Future<Reply> held = threads.submit(() -> sender.post(receiver.url("/"), Map.of(), BODY));
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requestsInProgress() == 1);
      Future<Reply> second = threads.submit(() -> sender.post(receiver.url("/"), Map.of(), BODY));
      Future<Reply> third = threads.submit(() -> sender.post(receiver.url("/"), Map.of(), BODY));

      List<Reply> waited = List.of(second.get(), third.get());

      assertThat(held.get().error()).startsWith("timeout: no response");
      assertThat(waited)
          .extracting(Reply::error)
          .filteredOn(error -> error.startsWith("timeout: not sent"))
          .hasSize(1)
          .allSatisfy(error -> assertThat(error).contains("--concurrency-per-destination (1)"));
      assertThat(receiver.requests()).isEqualTo(2);
    }
  }

  private static OkHttpSender sender(int perDestination, Duration timeout) {
    return new OkHttpSender(
        TargetPolicy.permissive(),
        timeout,
        perDestination,
        "Hookwire-test",
        Dns.SYSTEM,
        new OkHttpClient.Builder());
  }
}
