package io.hookwire.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ApiClient.Answer;
import io.hookwire.testing.ConfigEditor;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestClock;
import io.hookwire.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Why this exists: one account's runaway script must not take the API from the others. Each account
 * has two buckets, one for publishing and one for everything else, so a producer is never held up
 * by its account's management calls nor the other way round. Small buckets (a burst of 3 then 1
 * request a second) on a TestClock, so refills happen exactly when the test says.
 */
class RateLimitTest {

  @Test
  void requestsBeyondTheBurstAnswer429WithRetryAfterAndOtherAccountsAreUnaffected() {
    TestClock clock = TestClock.standing();
    try (TestServer server =
        TestServer.start(
            StoreKind.SQLITE,
            c -> ConfigEditor.of(c).rateLimit(1, 3).build(),
            b -> b.clock(clock))) {
      ApiClient busy = server.api();
      ApiClient other = server.newAccount("other");

      for (int i = 0; i < 3; i++) {
        assertThat(busy.get("/v2/webhook").status())
            .as("request %d of the burst", i)
            .isEqualTo(200);
      }
      Answer limited = busy.get("/v2/webhook");
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.headers().get("Retry-After")).isEqualTo("1");
      assertThat(limited.json().at("/Result").asBoolean(true)).isFalse();
      assertThat(limited.json().at("/Errors/API/Error").asText())
          .isEqualTo("rate limit exceeded; retry later");
      // Any management route and method: the limit is on the account, not the path.
      assertThat(busy.postForm("/v2/webhook", Map.of("name", "x")).status()).isEqualTo(429);
      assertThat(busy.get("/v2/me").status()).isEqualTo(429);
      // Publishing has a bucket of its own (off here).
      assertThat(publishOne(busy).status()).isEqualTo(200);

      assertThat(other.get("/v2/webhook").status()).isEqualTo(200);
      assertThat(other.get("/v2/me").status()).isEqualTo(200);

      clock.advance(Duration.ofSeconds(1));
      assertThat(busy.get("/v2/webhook").status()).isEqualTo(200);
      assertThat(busy.get("/v2/webhook").status()).isEqualTo(429);

      clock.advance(Duration.ofSeconds(10));
      for (int i = 0; i < 3; i++) {
        assertThat(busy.get("/v2/me").status()).as("refilled only to the burst").isEqualTo(200);
      }
      assertThat(busy.get("/v2/me").status()).isEqualTo(429);
    }
  }

  @Test
  void publishingHasABucketOfItsOwnAndABatchTakesOneToken() {
    TestClock clock = TestClock.standing();
    try (TestServer server =
        TestServer.start(
            StoreKind.SQLITE,
            c -> ConfigEditor.of(c).rateLimit(1, 2).publishRateLimit(1, 3).build(),
            b -> b.clock(clock))) {
      ApiClient api = server.api();

      assertThat(publishOne(api).status()).isEqualTo(200);
      assertThat(publishBatch(api, 1_000).status()).as("1,000 events, one token").isEqualTo(200);
      assertThat(publishOne(api).status()).isEqualTo(200);
      Answer limited = publishOne(api);
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.headers().get("Retry-After")).isEqualTo("1");
      assertThat(publishBatch(api, 2).status()).isEqualTo(429);
      assertThat(api.postJson("/v2/event/", "{\"event\":\"newLead\"}").status())
          .as("the router ignores a trailing slash; so does the limit")
          .isEqualTo(429);

      // Publishing used up its bucket; managing still has all of its own ...
      assertThat(api.get("/v2/webhook").status()).isEqualTo(200);
      assertThat(api.get("/v2/me").status()).isEqualTo(200);
      assertThat(api.get("/v2/me").status()).isEqualTo(429);

      // ... and each refills at its own rate.
      clock.advance(Duration.ofSeconds(1));
      assertThat(publishBatch(api, 10).status()).isEqualTo(200);
      assertThat(publishOne(api).status()).isEqualTo(429);
      assertThat(api.get("/v2/me").status()).isEqualTo(200);
      assertThat(api.get("/v2/me").status()).isEqualTo(429);
    }
  }

  @Test
  void zeroTurnsOffOneLimitAndLeavesTheOther() {
    TestClock clock = TestClock.standing();
    try (TestServer server =
        TestServer.start(
            StoreKind.SQLITE,
            c -> ConfigEditor.of(c).rateLimit(0, 1).publishRateLimit(1, 1).build(),
            b -> b.clock(clock))) {
      ApiClient api = server.api();
      for (int i = 0; i < 20; i++) {
        assertThat(api.get("/v2/me").status()).as("management request %d", i).isEqualTo(200);
      }
      assertThat(publishOne(api).status()).isEqualTo(200);
      assertThat(publishOne(api).status()).isEqualTo(429);
    }
    try (TestServer server =
        TestServer.start(
            StoreKind.SQLITE,
            c -> ConfigEditor.of(c).rateLimit(1, 1).publishRateLimit(0, 1).build(),
            b -> b.clock(clock))) {
      ApiClient api = server.api();
      for (int i = 0; i < 20; i++) {
        assertThat(publishOne(api).status()).as("publish %d", i).isEqualTo(200);
      }
      assertThat(api.get("/v2/me").status()).isEqualTo(200);
      assertThat(api.get("/v2/me").status()).isEqualTo(429);
    }
  }

  @Test
  void aSlowRateAsksForALongerWait() {
    TestClock clock = TestClock.standing();
    try (TestServer server =
        TestServer.start(
            StoreKind.SQLITE,
            c -> ConfigEditor.of(c).rateLimit(0.1, 1).build(),
            b -> b.clock(clock))) {
      ApiClient api = server.api();
      assertThat(api.get("/v2/me").status()).isEqualTo(200);

      Answer limited = api.get("/v2/me");

      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.headers().get("Retry-After")).isEqualTo("10");
    }
  }

  @Test
  void unauthenticatedRequestsAreRefusedBeforeTheyCostAToken() {
    TestClock clock = TestClock.standing();
    try (TestServer server =
        TestServer.start(
            StoreKind.SQLITE,
            c -> ConfigEditor.of(c).rateLimit(1, 1).build(),
            b -> b.clock(clock))) {
      ApiClient api = server.api();
      ApiClient impostor = api.as(server.accountId, "wrong");
      for (int i = 0; i < 5; i++) {
        assertThat(impostor.get("/v2/me").status()).isEqualTo(401);
      }

      assertThat(api.get("/v2/me").status()).isEqualTo(200);
    }
  }

  private static Answer publishOne(ApiClient api) {
    return api.postJson("/v2/event", "{\"event\":\"newLead\"}");
  }

  private static Answer publishBatch(ApiClient api, int events) {
    StringBuilder batch = new StringBuilder("[");
    for (int i = 0; i < events; i++) {
      batch.append(i == 0 ? "" : ",").append("{\"event\":\"newLead\",\"data\":{\"n\":");
      batch.append(i).append("}}");
    }
    return api.postJson("/v2/events", batch.append(']').toString());
  }
}
