package io.hookwire.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwire.testing.ApiClient;
import io.hookwire.testing.ApiClient.Answer;
import io.hookwire.testing.ConfigEditor;
import io.hookwire.testing.FakeClock;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Why this exists: one account's runaway script must not take the API from the others. The bucket
 * is per account: a burst of 3 then 1 request a second, on a FakeClock so refills happen exactly
 * when the test says.
 */
class RateLimitTest {

  @Test
  void requestsBeyondTheBurstAnswer429WithRetryAfterAndOtherAccountsAreUnaffected() {
    FakeClock clock = new FakeClock();
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
      // Any route, any method: the limit is on the account, not the path.
      assertThat(busy.postJson("/v2/event", "{\"event\":\"newLead\"}").status()).isEqualTo(429);

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
  void aSlowRateAsksForALongerWait() {
    FakeClock clock = new FakeClock();
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
    FakeClock clock = new FakeClock();
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
}
