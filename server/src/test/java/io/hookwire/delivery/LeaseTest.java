package io.hookwire.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwire.core.Claim;
import io.hookwire.core.EventType;
import io.hookwire.core.Ids;
import io.hookwire.core.NewEvent;
import io.hookwire.core.PayloadState;
import io.hookwire.core.Webhook;
import io.hookwire.core.WebhookChanges;
import io.hookwire.core.WebhookRow;
import io.hookwire.store.Store;
import io.hookwire.testing.StoreKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lease is what makes delivery at least once: payloads claimed by a node that died come back
 * when the lease ends, and not before. Time is given to the store here, so nothing waits.
 */
class LeaseTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(10);

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void payloadLeasedByANodeThatDiedIsClaimedAgainWhenTheLeaseEnds(StoreKind kind) {
    try (Store store = kind.open(dir)) {
      String account = account(store);
      String webhook = webhook(store, account);
      store.publish(account, List.of(event()), T0, Duration.ofHours(24));

      List<Claim> died = claim(store, T0);
      assertThat(died).hasSize(1);
      assertThat(died.get(0).attempt()).isEqualTo(1);

      assertThat(claim(store, T0.plus(LEASE).minusMillis(1))).isEmpty();
      List<Claim> again = claim(store, T0.plus(LEASE));
      assertThat(again).extracting(Claim::payloadId).containsExactly(died.get(0).payloadId());
      assertThat(again.get(0).attempt()).isEqualTo(2);
      assertThat(store.countPayloads(account, webhook, PayloadState.in_flight)).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void expiredLeaseOfADisabledWebhookWaitsForTheEnable(StoreKind kind) {
    try (Store store = kind.open(dir)) {
      String account = account(store);
      String webhook = webhook(store, account);
      store.publish(account, List.of(event()), T0, Duration.ofHours(24));
      assertThat(claim(store, T0)).hasSize(1);

      store.updateWebhook(account, webhook, enabled(false), T0.plusSeconds(1));

      assertThat(claim(store, T0.plus(LEASE).plusSeconds(1))).isEmpty();
      store.updateWebhook(account, webhook, enabled(true), T0.plus(LEASE).plusSeconds(2));
      assertThat(claim(store, T0.plus(LEASE).plusSeconds(3))).hasSize(1);
    }
  }

  private static List<Claim> claim(Store store, Instant now) {
    return store.claim(100, 8, List.of(), now, now.plus(LEASE));
  }

  private static String account(Store store) {
    return store.createAccount("Lease test", "hash", T0).id();
  }

  private static String webhook(Store store, String account) {
    String id = Ids.WEBHOOK.next();
    store.insertWebhook(
        new WebhookRow(
            new Webhook(
                account,
                id,
                "Leads",
                "",
                EventType.newLead,
                "https://example.com/hook",
                true,
                Optional.empty(),
                1,
                Optional.empty(),
                T0,
                T0),
            "sealed",
            Optional.empty(),
            Optional.empty()));
    return id;
  }

  private static NewEvent event() {
    return new NewEvent(EventType.newLead, "{\"n\":1}", Optional.empty());
  }

  private static WebhookChanges enabled(boolean enabled) {
    return new WebhookChanges(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(enabled),
        Optional.empty(),
        Optional.empty());
  }
}
