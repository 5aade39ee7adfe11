package io.hookwire.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.hookwire.core.Account;
import io.hookwire.core.AttemptRecord;
import io.hookwire.core.Claim;
import io.hookwire.core.EventType;
import io.hookwire.core.Ids;
import io.hookwire.core.LogEntry;
import io.hookwire.core.NewEvent;
import io.hookwire.core.Page;
import io.hookwire.core.PayloadState;
import io.hookwire.core.PublishedEvent;
import io.hookwire.core.RetrySchedule;
import io.hookwire.core.Webhook;
import io.hookwire.core.WebhookChanges;
import io.hookwire.core.WebhookOrder;
import io.hookwire.core.WebhookQuery;
import io.hookwire.core.WebhookRow;
import io.hookwire.security.ApiKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Store} promises, run against each implementation by a subclass. Time is given
 * to the store as instants chosen here, so nothing waits for a clock.
 */
abstract class StoreContract {
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  static final Duration WINDOW = Duration.ofHours(24);
  static final Duration LEASE = Duration.ofSeconds(60);

  @TempDir Path dataDir;

  Store store;

  /** A fresh, migrated, empty store. */
  abstract Store openStore(Path dataDir);

  /** Removes what {@link #openStore} made once its store is closed. */
  void dropStore() {}

  @BeforeEach
  void openStore() {
    store = openStore(dataDir);
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
      dropStore();
    }
  }

  // Accounts

  @Test
  void createdAccountIsFoundWithItsNameAndCreationTime() {
    Account created = store.createAccount("Acme", ApiKeys.hash("key"), T0);

    assertThat(Ids.ACCOUNT.matches(created.id())).isTrue();
    StoredAccount found = store.findAccount(created.id()).orElseThrow();
    assertThat(found.account()).isEqualTo(new Account(created.id(), "Acme", T0));
    assertThat(store.findAccount(Ids.ACCOUNT.next())).isEmpty();
  }

  @Test
  void storeKeepsTheApiKeyHashNeverTheKey() {
    String key = ApiKeys.generate();
    Account account = store.createAccount("Acme", ApiKeys.hash(key), T0);

    String stored = store.findAccount(account.id()).orElseThrow().apiKeyHash();
    assertThat(stored).isEqualTo(ApiKeys.hash(key)).doesNotContain(key);
    assertThat(ApiKeys.matches(key, stored)).isTrue();
  }

  @Test
  void setApiKeyHashReplacesTheHashOfThatAccountOnly() {
    Account acme = store.createAccount("Acme", ApiKeys.hash("old"), T0);
    Account other = store.createAccount("Other", ApiKeys.hash("other"), T0);

    assertThat(store.setApiKeyHash(acme.id(), ApiKeys.hash("new"))).isTrue();

    assertThat(store.findAccount(acme.id()).orElseThrow().apiKeyHash())
        .isEqualTo(ApiKeys.hash("new"));
    assertThat(store.findAccount(other.id()).orElseThrow().apiKeyHash())
        .isEqualTo(ApiKeys.hash("other"));
    assertThat(store.setApiKeyHash(Ids.ACCOUNT.next(), ApiKeys.hash("x"))).isFalse();
  }

  // Webhooks

  @Test
  void insertedWebhookIsFoundWithEveryField() {
    Account account = account();
    Webhook webhook =
        new Webhook(
            account.id(),
            Ids.WEBHOOK.next(),
            "CRM sync",
            "Send new leads to the CRM",
            EventType.newLead,
            "https://crm.example.com/hook",
            false,
            Optional.of(RetrySchedule.parse("10m,10m")),
            25,
            Optional.of(T0.plusSeconds(5)),
            T0,
            T0.plusSeconds(10));
    WebhookRow row =
        new WebhookRow(webhook, "sealed-now", Optional.of("sealed-before"), Optional.of(T0));
    store.insertWebhook(row);

    assertThat(store.findWebhook(account.id(), webhook.id())).contains(row);
  }

  @Test
  void webhookListFiltersByEvent() {
    Account account = account();
    WebhookRow leads = webhook(account, EventType.newLead, "Leads");
    webhook(account, EventType.postSent, "Posts");
    WebhookRow moreLeads = webhook(account, EventType.newLead, "More leads");

    Page<WebhookRow> page =
        store.listWebhooks(account.id(), query(Optional.of(EventType.newLead), Optional.empty()));

    assertThat(ids(page.items())).containsExactly(id(leads), id(moreLeads));
    assertThat(page.total()).isEqualTo(2);
  }

  @Test
  void webhookNameFilterIsACaseInsensitiveSubstring() {
    Account account = account();
    WebhookRow crm = webhook(account, EventType.newLead, "Sales CRM");
    WebhookRow slack = webhook(account, EventType.newLead, "crm to Slack");
    webhook(account, EventType.newLead, "Analytics");
    WebhookRow umlaut = webhook(account, EventType.newLead, "ÜBERSICHT Leads");

    assertThat(ids(list(account, "CrM"))).containsExactly(id(slack), id(crm));
    assertThat(ids(list(account, "übersicht"))).containsExactly(id(umlaut));
    assertThat(ids(list(account, "Übersicht"))).containsExactly(id(umlaut));
    assertThat(list(account, "nothing like it")).isEmpty();
  }

  @Test
  void webhookNameFilterTakesPercentUnderscoreAndBackslashLiterally() {
    Account account = account();
    WebhookRow percent = webhook(account, EventType.newLead, "100% leads");
    WebhookRow underscore = webhook(account, EventType.newLead, "lead_sync");
    WebhookRow backslash = webhook(account, EventType.newLead, "C:\\hooks");
    webhook(account, EventType.newLead, "1000 leads");
    webhook(account, EventType.newLead, "lead-sync");
    webhook(account, EventType.newLead, "C:/hooks");

    assertThat(ids(list(account, "%"))).containsExactly(id(percent));
    assertThat(ids(list(account, "0% l"))).containsExactly(id(percent));
    assertThat(ids(list(account, "_"))).containsExactly(id(underscore));
    assertThat(ids(list(account, "d_s"))).containsExactly(id(underscore));
    assertThat(ids(list(account, "\\"))).containsExactly(id(backslash));
    assertThat(ids(list(account, ":\\h"))).containsExactly(id(backslash));
  }

  @Test
  void everyWebhookOrderSortsAscendingAndNeverRunWebhooksLast() {
    Account account = account();
    // Each column orders these three differently from the others.
    WebhookRow a =
        webhook(
            account,
            "bravo",
            "Zulu notes",
            false,
            Optional.of(T0.plusSeconds(20)),
            T0.plusSeconds(3),
            T0.plusSeconds(1));
    WebhookRow b =
        webhook(
            account,
            "Charlie",
            "alpha notes",
            true,
            Optional.empty(),
            T0.plusSeconds(1),
            T0.plusSeconds(3));
    WebhookRow c =
        webhook(
            account,
            "alpha",
            "Mike notes",
            true,
            Optional.of(T0.plusSeconds(10)),
            T0.plusSeconds(2),
            T0.plusSeconds(2));

    Map<WebhookOrder, List<WebhookRow>> expected =
        Map.of(
            WebhookOrder.name, List.of(c, a, b),
            WebhookOrder.description, List.of(b, c, a),
            WebhookOrder.lastExecutionDate, List.of(c, a, b),
            WebhookOrder.isEnabled, List.of(a, sorted(b, c).get(0), sorted(b, c).get(1)),
            WebhookOrder.created, List.of(b, c, a),
            WebhookOrder.modified, List.of(a, c, b));
    for (WebhookOrder order : WebhookOrder.values()) {
      Page<WebhookRow> page =
          store.listWebhooks(
              account.id(), new WebhookQuery(Optional.empty(), Optional.empty(), order, 0, 20));
      assertThat(ids(page.items())).as(order.name()).isEqualTo(ids(expected.get(order)));
    }
  }

  @Test
  void webhookListPagesAndCountsTheTotal() {
    Account account = account();
    List<WebhookRow> rows = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      rows.add(webhook(account, EventType.newLead, String.format("hook %02d", i)));
    }
    webhook(account(), EventType.newLead, "another account's hook");

    Function<Integer, Page<WebhookRow>> page =
        n ->
            store.listWebhooks(
                account.id(),
                new WebhookQuery(Optional.empty(), Optional.empty(), WebhookOrder.name, n, 20));

    assertThat(ids(page.apply(0).items())).isEqualTo(ids(rows.subList(0, 20)));
    assertThat(ids(page.apply(1).items())).isEqualTo(ids(rows.subList(20, 40)));
    assertThat(ids(page.apply(2).items())).isEqualTo(ids(rows.subList(40, 45)));
    assertThat(page.apply(3).items()).isEmpty();
    for (int n = 0; n < 4; n++) {
      assertThat(page.apply(n).total()).isEqualTo(45);
    }
  }

  @Test
  void updateChangesOnlyTheGivenFields() {
    Account account = account();
    WebhookRow before =
        webhook(account, EventType.newLead, "CRM", true, Optional.of(RetrySchedule.parse("1m")));

    WebhookRow renamed =
        store
            .updateWebhook(
                account.id(), id(before), changes().name("Sales CRM").build(), T0.plusSeconds(30))
            .orElseThrow();

    Webhook w = before.webhook();
    assertThat(renamed.webhook())
        .isEqualTo(
            new Webhook(
                w.accountId(),
                w.id(),
                "Sales CRM",
                w.description(),
                w.event(),
                w.url(),
                w.enabled(),
                w.retrySchedule(),
                w.batchSize(),
                w.lastExecution(),
                w.created(),
                T0.plusSeconds(30)));
    assertThat(renamed.secretSealed()).isEqualTo(before.secretSealed());

    WebhookRow changed =
        store
            .updateWebhook(
                account.id(),
                id(before),
                new WebhookChanges(
                    Optional.empty(),
                    Optional.of("new description"),
                    Optional.of(EventType.postSent),
                    Optional.of("https://other.example.com/"),
                    Optional.empty(),
                    Optional.of(Optional.empty()),
                    Optional.of(50)),
                T0.plusSeconds(40))
            .orElseThrow();
    assertThat(changed.webhook())
        .isEqualTo(
            new Webhook(
                w.accountId(),
                w.id(),
                "Sales CRM",
                "new description",
                EventType.postSent,
                "https://other.example.com/",
                true,
                Optional.empty(),
                50,
                w.lastExecution(),
                w.created(),
                T0.plusSeconds(40)));
    assertThat(store.findWebhook(account.id(), id(before))).contains(changed);
  }

  @Test
  void disablingHoldsWaitingPayloadsAndLetsInFlightOnesFinish() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    publish(account, EventType.newLead, T0);
    List<Claim> inFlight = claimAll(T0);
    publish(account, EventType.newLead, T0.plusSeconds(1));
    publish(account, EventType.newLead, T0.plusSeconds(2));

    store.updateWebhook(account.id(), id(hook), enabled(false), T0.plusSeconds(3));

    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.held)).isEqualTo(2);
    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.pending)).isZero();
    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.in_flight)).isEqualTo(1);
    assertThat(claimAll(T0.plusSeconds(10))).isEmpty();

    store.record(List.of(attempt(inFlight.get(0), "delivered", T0.plusSeconds(4))));
    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.delivered)).isEqualTo(1);
  }

  @Test
  void enablingReleasesHeldPayloadsOldestFirstWithAttemptsReset() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    // One payload tried twice before the webhook was disabled, then two published while disabled.
    PublishedEvent first = publish(account, EventType.newLead, T0);
    Claim tried = claimAll(T0).get(0);
    store.record(List.of(attempt(tried, "pending", T0, T0.plusSeconds(5))));
    tried = claimAll(T0.plusSeconds(5)).get(0);
    assertThat(tried.attempt()).isEqualTo(2);
    store.record(List.of(attempt(tried, "pending", T0.plusSeconds(5), T0.plusSeconds(60))));
    store.updateWebhook(account.id(), id(hook), enabled(false), T0.plusSeconds(10));
    PublishedEvent second = publish(account, EventType.newLead, T0.plusSeconds(20));
    PublishedEvent third = publish(account, EventType.newLead, T0.plusSeconds(30));
    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.held)).isEqualTo(3);

    store.updateWebhook(account.id(), id(hook), enabled(true), T0.plusSeconds(100));

    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.held)).isZero();
    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.pending)).isEqualTo(3);
    // Due at their creation: a claim "at" the second's creation sees the first two only.
    List<Claim> due = claimAll(T0.plusSeconds(20));
    assertThat(due).extracting(Claim::data).containsExactly(data(first), data(second));
    assertThat(due).extracting(Claim::attempt).containsOnly(1);
    assertThat(claimAll(T0.plusSeconds(30))).extracting(Claim::data).containsExactly(data(third));
  }

  @Test
  void deletingAWebhookRemovesItsPayloadsAndLog() {
    Account account = account();
    WebhookRow doomed = webhook(account, EventType.newLead, "doomed");
    WebhookRow kept = webhook(account, EventType.newLead, "kept");
    publish(account, EventType.newLead, T0);
    for (Claim c : claimAll(T0)) {
      store.record(List.of(attempt(c, "pending", T0, T0.plusSeconds(5))));
    }
    publish(account, EventType.newLead, T0.plusSeconds(1));

    assertThat(store.deleteWebhook(account.id(), id(doomed))).isTrue();

    assertThat(store.findWebhook(account.id(), id(doomed))).isEmpty();
    assertThat(store.countPayloads(account.id(), id(doomed), PayloadState.pending)).isZero();
    assertThat(store.log(account.id(), id(doomed), 0, 20).total()).isZero();
    assertThat(claimAll(T0.plusSeconds(10)))
        .extracting(Claim::webhookId)
        .containsOnly(id(kept))
        .hasSize(2);
    assertThat(store.log(account.id(), id(kept), 0, 20).total()).isEqualTo(1);
    assertThat(store.deleteWebhook(account.id(), id(doomed))).isFalse();
  }

  @Test
  void anotherAccountCanNeitherSeeNorChangeAWebhook() {
    Account owner = account();
    Account stranger = account();
    WebhookRow hook = webhook(owner, EventType.newLead, "CRM");
    publish(owner, EventType.newLead, T0);
    Claim c = claimAll(T0).get(0);
    store.record(List.of(attempt(c, "failed", T0)));

    assertThat(store.findWebhook(stranger.id(), id(hook))).isEmpty();
    assertThat(store.listWebhooks(stranger.id(), query(Optional.empty(), Optional.empty())).total())
        .isZero();
    assertThat(store.updateWebhook(stranger.id(), id(hook), enabled(false), T0)).isEmpty();
    assertThat(
            store.rotateSecret(stranger.id(), id(hook), "mine", "theirs", T0.plusSeconds(60), T0))
        .isEmpty();
    assertThat(store.resend(stranger.id(), id(hook), Optional.empty(), T0)).isZero();
    assertThat(store.countPayloads(stranger.id(), id(hook), PayloadState.failed)).isZero();
    assertThat(store.log(stranger.id(), id(hook), 0, 20).total()).isZero();
    assertThat(store.deleteWebhook(stranger.id(), id(hook))).isFalse();

    assertThat(store.findWebhook(owner.id(), id(hook)).orElseThrow().webhook().enabled()).isTrue();
    assertThat(store.countPayloads(owner.id(), id(hook), PayloadState.failed)).isEqualTo(1);
    assertThat(store.log(owner.id(), id(hook), 0, 20).total()).isEqualTo(1);
  }

  @Test
  void rotatingTheSecretKeepsThePreviousOneUntilItsDeadline() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");

    WebhookRow rotated =
        store
            .rotateSecret(
                account.id(),
                id(hook),
                "sealed-new",
                hook.secretSealed(),
                T0.plusSeconds(3600),
                T0.plusSeconds(5))
            .orElseThrow();

    assertThat(rotated.secretSealed()).isEqualTo("sealed-new");
    assertThat(rotated.previousSecretSealed()).contains(hook.secretSealed());
    assertThat(rotated.previousSecretUntil()).contains(T0.plusSeconds(3600));
    assertThat(rotated.webhook().modified()).isEqualTo(T0.plusSeconds(5));
    publish(account, EventType.newLead, T0.plusSeconds(6));
    Claim c = claimAll(T0.plusSeconds(6)).get(0);
    assertThat(c.secretSealed()).isEqualTo("sealed-new");
    assertThat(c.previousSecretSealed()).contains(hook.secretSealed());
    assertThat(c.previousSecretUntil()).contains(T0.plusSeconds(3600));
  }

  // Publishing

  @Test
  void publishFansOutToEachSubscribedWebhookOfThatAccountAndEventOnly() {
    Account account = account();
    Account other = account();
    WebhookRow crm = webhook(account, EventType.newLead, "CRM");
    WebhookRow slack = webhook(account, EventType.newLead, "Slack");
    WebhookRow posts = webhook(account, EventType.postSent, "Posts");
    WebhookRow otherLeads = webhook(other, EventType.newLead, "Other's leads");

    List<PublishedEvent> published =
        store.publish(
            account.id(),
            List.of(
                new NewEvent(EventType.newLead, "{\"email\":\"a@b.c\"}", Optional.empty()),
                new NewEvent(EventType.newCampaign, "{\"id\":1}", Optional.empty())),
            T0,
            WINDOW);

    assertThat(published).extracting(PublishedEvent::payloads).containsExactly(2, 0);
    assertThat(published).extracting(PublishedEvent::duplicate).containsOnly(false);
    assertThat(published.get(0).event()).isEqualTo(EventType.newLead);
    assertThat(published.get(0).created()).isEqualTo(T0);
    assertThat(Ids.EVENT.matches(published.get(0).id())).isTrue();
    assertThat(published.get(0).id()).isNotEqualTo(published.get(1).id());
    assertThat(store.countPayloads(account.id(), id(crm), PayloadState.pending)).isEqualTo(1);
    assertThat(store.countPayloads(account.id(), id(slack), PayloadState.pending)).isEqualTo(1);
    assertThat(store.countPayloads(account.id(), id(posts), PayloadState.pending)).isZero();
    assertThat(store.countPayloads(other.id(), id(otherLeads), PayloadState.pending)).isZero();
    assertThat(claimAll(T0))
        .extracting(Claim::webhookId, Claim::data)
        .containsExactlyInAnyOrder(
            tuple(id(crm), "{\"email\":\"a@b.c\"}"), tuple(id(slack), "{\"email\":\"a@b.c\"}"));
  }

  @Test
  void publishHoldsPayloadsOfDisabledWebhooks() {
    Account account = account();
    WebhookRow off = webhook(account, EventType.newLead, "off", false, Optional.empty());
    WebhookRow on = webhook(account, EventType.newLead, "on");

    PublishedEvent event = publish(account, EventType.newLead, T0);

    assertThat(event.payloads()).isEqualTo(2);
    assertThat(store.countPayloads(account.id(), id(off), PayloadState.held)).isEqualTo(1);
    assertThat(store.countPayloads(account.id(), id(on), PayloadState.pending)).isEqualTo(1);
    assertThat(claimAll(T0.plusSeconds(60))).extracting(Claim::webhookId).containsExactly(id(on));
  }

  @Test
  void idempotencyKeyWithinTheWindowReturnsTheFirstEventAndStoresNothing() {
    Account account = account();
    Account other = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    webhook(other, EventType.newLead, "Other CRM");

    PublishedEvent first = publish(account, "order-1", T0);
    PublishedEvent again = publish(account, "order-1", T0.plus(WINDOW).minusSeconds(1));
    PublishedEvent otherAccount = publish(other, "order-1", T0.plusSeconds(1));

    assertThat(first.duplicate()).isFalse();
    assertThat(again)
        .isEqualTo(
            new PublishedEvent(first.id(), EventType.newLead, Optional.of("order-1"), T0, 1, true));
    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.pending)).isEqualTo(1);
    // Keys belong to an account: the same key elsewhere is another event.
    assertThat(otherAccount.duplicate()).isFalse();
    assertThat(otherAccount.id()).isNotEqualTo(first.id());
  }

  @Test
  void idempotencyKeyOlderThanTheWindowNamesANewEvent() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");

    PublishedEvent first = publish(account, "order-1", T0);
    PublishedEvent later = publish(account, "order-1", T0.plus(WINDOW).plusSeconds(1));
    PublishedEvent laterAgain = publish(account, "order-1", T0.plus(WINDOW).plusSeconds(2));

    assertThat(later.duplicate()).isFalse();
    assertThat(later.id()).isNotEqualTo(first.id());
    assertThat(laterAgain.duplicate()).isTrue();
    assertThat(laterAgain.id()).isEqualTo(later.id());
    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.pending)).isEqualTo(2);
  }

  @Test
  void sameIdempotencyKeyTwiceInOnePublishStoresOneEvent() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");

    List<PublishedEvent> published =
        store.publish(
            account.id(),
            List.of(
                new NewEvent(EventType.newLead, "{\"n\":1}", Optional.of("k")),
                new NewEvent(EventType.newLead, "{\"n\":2}", Optional.empty()),
                new NewEvent(EventType.newLead, "{\"n\":3}", Optional.of("k"))),
            T0,
            WINDOW);

    assertThat(published).extracting(PublishedEvent::duplicate).containsExactly(false, false, true);
    assertThat(published.get(2).id()).isEqualTo(published.get(0).id());
    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.pending)).isEqualTo(2);
    assertThat(claimAll(T0))
        .extracting(Claim::data)
        .containsExactlyInAnyOrder("{\"n\":1}", "{\"n\":2}");
  }

  @Test
  void concurrentPublishesWithTheSameKeyStoreExactlyOneEvent() throws Exception {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    int threads = 8;

    for (int round = 0; round < 5; round++) {
      String key = "order-" + round;
      List<PublishedEvent> results =
          concurrently(threads, i -> publish(account, key, T0.plusSeconds(i)));

      assertThat(results).extracting(PublishedEvent::id).containsOnly(results.get(0).id());
      assertThat(results).filteredOn(p -> !p.duplicate()).hasSize(1);
    }
    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.pending)).isEqualTo(5);
  }

  // Claiming

  @Test
  void claimTakesOnlyDuePayloads() {
    Account account = account();
    webhook(account, EventType.newLead, "CRM");
    PublishedEvent now = publish(account, EventType.newLead, T0);
    publish(account, EventType.newLead, T0.plusSeconds(10));

    assertThat(claimAll(T0.minusMillis(1))).isEmpty();
    assertThat(claimAll(T0)).extracting(Claim::data).containsExactly(data(now));
    assertThat(claimAll(T0.plusSeconds(9))).isEmpty();
    assertThat(claimAll(T0.plusSeconds(10))).hasSize(1);
  }

  @Test
  void leaseHidesAClaimedPayloadUntilItEndsThenItIsClaimedAgainAsTheNextAttempt() {
    Account account = account();
    webhook(account, EventType.newLead, "CRM");
    publish(account, EventType.newLead, T0);

    Claim first = claim(10, T0, T0.plusSeconds(60)).get(0);
    assertThat(first.attempt()).isEqualTo(1);
    assertThat(claim(10, T0.plusSeconds(59), T0.plusSeconds(120))).isEmpty();

    List<Claim> again = claim(10, T0.plusSeconds(60), T0.plusSeconds(120));
    assertThat(again).extracting(Claim::payloadId).containsExactly(first.payloadId());
    assertThat(again.get(0).attempt()).isEqualTo(2);
  }

  @Test
  void releasedPayloadIsDueAtOnceWithItsAttemptNotCounted() {
    Account account = account();
    webhook(account, EventType.newLead, "CRM");
    publish(account, EventType.newLead, T0);

    Claim leased = claim(10, T0, T0.plusSeconds(60)).get(0);
    store.release(List.of(leased));

    List<Claim> again = claim(10, T0.plusSeconds(1), T0.plusSeconds(60));
    assertThat(again).extracting(Claim::payloadId).containsExactly(leased.payloadId());
    assertThat(again.get(0).attempt()).isEqualTo(1);
  }

  @Test
  void releaseLeavesAPayloadThatWasLeasedAgainMeanwhileAlone() {
    Account account = account();
    webhook(account, EventType.newLead, "CRM");
    publish(account, EventType.newLead, T0);

    Claim stale = claim(10, T0, T0.plusSeconds(60)).get(0);
    Claim current = claim(10, T0.plusSeconds(60), T0.plusSeconds(120)).get(0);
    store.release(List.of(stale));

    assertThat(current.attempt()).isEqualTo(2);
    assertThat(claim(10, T0.plusSeconds(61), T0.plusSeconds(180))).isEmpty();
  }

  @Test
  void claimTakesAtMostTheLimitOldestFirst() {
    Account account = account();
    webhook(account, EventType.newLead, "CRM");
    List<PublishedEvent> events = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      events.add(publish(account, EventType.newLead, T0.plusSeconds(i)));
    }

    Instant later = T0.plusSeconds(60);
    assertThat(claim(3, later, later.plus(LEASE)))
        .extracting(Claim::data)
        .containsExactly(data(events.get(0)), data(events.get(1)), data(events.get(2)));
    assertThat(claim(3, later, later.plus(LEASE)))
        .extracting(Claim::data)
        .containsExactly(data(events.get(3)), data(events.get(4)), data(events.get(5)));
    assertThat(claim(3, later, later.plus(LEASE))).hasSize(1);
  }

  @Test
  void claimTakesAtMostRequestsTimesBatchSizeOfOneWebhook() {
    Account account = account();
    WebhookRow single = webhook(account, EventType.newLead, "single", 1);
    WebhookRow batched = webhook(account, EventType.newLead, "batched", 5);
    for (int i = 0; i < 30; i++) {
      publish(account, EventType.newLead, T0.plusMillis(i));
    }

    List<Claim> claims = store.claim(1000, 3, List.of(), T0.plusSeconds(1), T0.plusSeconds(61));

    Map<String, Long> perWebhook =
        claims.stream().collect(Collectors.groupingBy(Claim::webhookId, Collectors.counting()));
    assertThat(perWebhook).containsOnly(Map.entry(id(single), 3L), Map.entry(id(batched), 15L));
    assertThat(claims).allSatisfy(c -> assertThat(c.attempt()).isEqualTo(1));
  }

  @Test
  void aWebhookAtItsCapLeavesTheRestOfTheClaimToOtherWebhooks() {
    Account account = account();
    WebhookRow backlog = webhook(account, EventType.newLead, "backlog");
    for (int i = 0; i < 200; i++) {
      publish(account, EventType.newLead, T0.plusMillis(i));
    }
    List<WebhookRow> quiet = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      quiet.add(webhook(account, EventType.postSent, "quiet " + i));
    }
    publish(account, EventType.postSent, T0.plusSeconds(1));

    List<Claim> claims = store.claim(10, 2, List.of(), T0.plusSeconds(2), T0.plusSeconds(62));

    Map<String, Long> perWebhook =
        claims.stream().collect(Collectors.groupingBy(Claim::webhookId, Collectors.counting()));
    assertThat(perWebhook).containsEntry(id(backlog), 2L);
    for (WebhookRow q : quiet) {
      assertThat(perWebhook).containsEntry(id(q), 1L);
    }
  }

  @Test
  void busyWebhooksAreLeftOutOfTheClaim() {
    Account account = account();
    WebhookRow busy = webhook(account, EventType.newLead, "busy");
    WebhookRow idle = webhook(account, EventType.newLead, "idle");
    publish(account, EventType.newLead, T0);

    List<Claim> claims = store.claim(100, 10, List.of(id(busy)), T0, T0.plus(LEASE));

    assertThat(claims).extracting(Claim::webhookId).containsExactly(id(idle));
    assertThat(store.claim(100, 10, List.of(id(idle)), T0, T0.plus(LEASE)))
        .extracting(Claim::webhookId)
        .containsExactly(id(busy));
  }

  @Test
  void heldDeliveredAndFailedPayloadsAreNeverClaimed() {
    Account account = account();
    webhook(account, EventType.newLead, "off", false, Optional.empty());
    webhook(account, EventType.newLead, "on");
    publish(account, EventType.newLead, T0);
    publish(account, EventType.newLead, T0);
    List<Claim> claims = claimAll(T0);
    assertThat(claims).hasSize(2);
    store.record(
        List.of(
            attempt(claims.get(0), "delivered", T0.plusSeconds(1)),
            attempt(claims.get(1), "failed", T0.plusSeconds(1))));

    assertThat(claimAll(T0.plus(Duration.ofDays(30)))).isEmpty();
  }

  @Test
  void claimCarriesEverythingNeededToSend() {
    Account account = account();
    WebhookRow hook =
        webhook(account, EventType.postSent, "Posts", true, Optional.of(RetrySchedule.parse("1s")));
    store.publish(
        account.id(),
        List.of(new NewEvent(EventType.postSent, "{\"post\":\"p1\"}", Optional.empty())),
        T0,
        WINDOW);

    Claim c = claimAll(T0.plusSeconds(1)).get(0);

    Webhook w = hook.webhook();
    assertThat(c.accountId()).isEqualTo(account.id());
    assertThat(Ids.PAYLOAD.matches(c.payloadId())).isTrue();
    assertThat(c.webhookId()).isEqualTo(w.id());
    assertThat(c.attempt()).isEqualTo(1);
    assertThat(c.event()).isEqualTo(EventType.postSent);
    assertThat(c.eventCreated()).isEqualTo(T0);
    assertThat(c.data()).isEqualTo("{\"post\":\"p1\"}");
    assertThat(c.url()).isEqualTo(w.url());
    assertThat(c.secretSealed()).isEqualTo(hook.secretSealed());
    assertThat(c.previousSecretSealed()).isEmpty();
    assertThat(c.previousSecretUntil()).isEmpty();
    assertThat(c.retrySchedule()).contains("1s");
    assertThat(c.batchSize()).isEqualTo(w.batchSize());
  }

  @Test
  void expiredLeaseOfAWebhookDisabledMeanwhileIsNotClaimed() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    publish(account, EventType.newLead, T0);
    assertThat(claim(10, T0, T0.plusSeconds(60))).hasSize(1);
    // The node holding the lease dies; meanwhile the webhook is disabled.
    store.updateWebhook(account.id(), id(hook), enabled(false), T0.plusSeconds(10));

    assertThat(claimAll(T0.plusSeconds(120))).isEmpty();

    store.updateWebhook(account.id(), id(hook), enabled(true), T0.plusSeconds(130));
    assertThat(claimAll(T0.plusSeconds(130))).hasSize(1);
  }

  @Test
  void concurrentClaimsNeverShareAPayloadAndTogetherTakeAll() throws Exception {
    Account account = account();
    for (int i = 0; i < 4; i++) {
      webhook(account, EventType.newLead, "hook " + i);
    }
    for (int i = 0; i < 50; i++) {
      publish(account, EventType.newLead, T0.plusMillis(i));
    }
    Instant now = T0.plusSeconds(1);

    List<List<String>> perThread =
        concurrently(
            2,
            i -> {
              List<String> mine = new ArrayList<>();
              // A claim finds nothing only when the other thread holds every due payload left,
              // and that thread claims again: between them they drain the queue.
              for (List<Claim> c = claim(7, now, now.plus(LEASE));
                  !c.isEmpty();
                  c = claim(7, now, now.plus(LEASE))) {
                c.forEach(claim -> mine.add(claim.payloadId()));
              }
              return mine;
            });

    List<String> all = perThread.stream().flatMap(List::stream).toList();
    assertThat(all).doesNotHaveDuplicates().hasSize(200);
    assertThat(claimAll(now)).isEmpty();
  }

  // Recording

  @Test
  void deliveredAttemptIsRecordedWithItsLogEntry() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    publish(account, EventType.newLead, T0);
    Claim c = claimAll(T0).get(0);

    AttemptRecord record =
        new AttemptRecord(
            c.accountId(),
            c.payloadId(),
            c.webhookId(),
            Ids.LOG.next(),
            c.attempt(),
            T0.plusMillis(10),
            204,
            1234,
            null,
            "ok",
            PayloadState.delivered,
            T0.plusMillis(20));
    store.record(List.of(record));

    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.delivered)).isEqualTo(1);
    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.in_flight)).isZero();
    LogEntry entry = store.log(account.id(), id(hook), 0, 20).items().get(0);
    assertThat(entry.id()).isEqualTo(record.logId());
    assertThat(entry.payloadId()).isEqualTo(c.payloadId());
    assertThat(entry.attempt()).isEqualTo(1);
    assertThat(entry.created()).isEqualTo(T0.plusMillis(10));
    assertThat(entry.responseCode()).isEqualTo(204);
    assertThat(entry.executionMicros()).isEqualTo(1234);
    assertThat(entry.error()).isNull();
    assertThat(entry.responseBody()).isEqualTo("ok");
    assertThat(store.findWebhook(account.id(), id(hook)).orElseThrow().webhook().lastExecution())
        .contains(T0.plusMillis(10));
  }

  @Test
  void retryMakesThePayloadDueAgainAtItsTime() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    publish(account, EventType.newLead, T0);
    Claim c = claimAll(T0).get(0);

    store.record(
        List.of(
            new AttemptRecord(
                c.accountId(),
                c.payloadId(),
                c.webhookId(),
                Ids.LOG.next(),
                1,
                T0.plusSeconds(1),
                0,
                5_000_000,
                "timeout",
                null,
                PayloadState.pending,
                T0.plusSeconds(30))));

    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.pending)).isEqualTo(1);
    assertThat(claimAll(T0.plusSeconds(29))).isEmpty();
    List<Claim> retry = claimAll(T0.plusSeconds(30));
    assertThat(retry).extracting(Claim::payloadId).containsExactly(c.payloadId());
    assertThat(retry.get(0).attempt()).isEqualTo(2);
    LogEntry entry = store.log(account.id(), id(hook), 0, 20).items().get(0);
    assertThat(entry.responseCode()).isZero();
    assertThat(entry.error()).isEqualTo("timeout");
    assertThat(entry.responseBody()).isNull();
  }

  @Test
  void givingUpMarksThePayloadFailed() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    publish(account, EventType.newLead, T0);
    Claim c = claimAll(T0).get(0);

    store.record(List.of(attempt(c, "failed", T0.plusSeconds(1))));

    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.failed)).isEqualTo(1);
    assertThat(store.log(account.id(), id(hook), 0, 20).items())
        .extracting(LogEntry::responseCode)
        .containsExactly(500);
  }

  @Test
  void lastExecutionOnlyMovesForward() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    publish(account, EventType.newLead, T0);
    publish(account, EventType.newLead, T0);
    publish(account, EventType.newLead, T0);
    List<Claim> claims = claimAll(T0);

    // One group commit with attempts out of order, then a late one from an earlier attempt.
    store.record(
        List.of(
            attempt(claims.get(0), "delivered", T0.plusSeconds(20)),
            attempt(claims.get(1), "delivered", T0.plusSeconds(10))));
    assertThat(lastExecution(account, hook)).contains(T0.plusSeconds(20));
    store.record(List.of(attempt(claims.get(2), "delivered", T0.plusSeconds(5))));
    assertThat(lastExecution(account, hook)).contains(T0.plusSeconds(20));
  }

  @Test
  void retryOfAWebhookDisabledMeanwhileIsHeld() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    publish(account, EventType.newLead, T0);
    Claim c = claimAll(T0).get(0);
    store.updateWebhook(account.id(), id(hook), enabled(false), T0.plusSeconds(1));

    store.record(List.of(attempt(c, "pending", T0.plusSeconds(2), T0.plusSeconds(7))));

    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.held)).isEqualTo(1);
    assertThat(claimAll(T0.plusSeconds(60))).isEmpty();
  }

  @Test
  void recordOfAPayloadNoLongerInFlightDoesNotResurrectIt() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    publish(account, EventType.newLead, T0);
    Claim c = claimAll(T0).get(0);
    store.record(List.of(attempt(c, "delivered", T0.plusSeconds(1))));

    // The same outcome recorded twice (a retried group commit) or a late, different one.
    store.record(List.of(attempt(c, "pending", T0.plusSeconds(2), T0.plusSeconds(3))));
    store.record(List.of(attempt(c, "failed", T0.plusSeconds(2))));

    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.delivered)).isEqualTo(1);
    assertThat(claimAll(T0.plusSeconds(60))).isEmpty();
  }

  @Test
  void recordOfAPayloadOfADeletedWebhookDoesNotResurrectIt() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    publish(account, EventType.newLead, T0);
    Claim c = claimAll(T0).get(0);
    store.deleteWebhook(account.id(), id(hook));

    store.record(List.of(attempt(c, "pending", T0.plusSeconds(2), T0.plusSeconds(3))));

    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.pending)).isZero();
    assertThat(claimAll(T0.plusSeconds(60))).isEmpty();
  }

  @Test
  void outcomeOfAnAttemptWhoseLeaseExpiredDoesNotOverrideTheNextAttempt() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    publish(account, EventType.newLead, T0);
    Claim slow = claim(10, T0, T0.plusSeconds(60)).get(0);
    Claim next = claim(10, T0.plusSeconds(60), T0.plusSeconds(120)).get(0);
    assertThat(next.attempt()).isEqualTo(2);

    // The first attempt's failure arrives while the second is on the wire.
    store.record(List.of(attempt(slow, "failed", T0.plusSeconds(70))));
    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.in_flight)).isEqualTo(1);

    store.record(List.of(attempt(next, "delivered", T0.plusSeconds(71))));
    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.delivered)).isEqualTo(1);
    assertThat(store.log(account.id(), id(hook), 0, 20).total()).isEqualTo(2);
  }

  @Test
  void successOfAnAttemptWhoseLeaseExpiredStillCountsAsDelivered() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    publish(account, EventType.newLead, T0);
    Claim slow = claim(10, T0, T0.plusSeconds(60)).get(0);
    Claim next = claim(10, T0.plusSeconds(60), T0.plusSeconds(120)).get(0);

    store.record(List.of(attempt(slow, "delivered", T0.plusSeconds(70))));
    store.record(List.of(attempt(next, "pending", T0.plusSeconds(71), T0.plusSeconds(80))));

    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.delivered)).isEqualTo(1);
    assertThat(claimAll(T0.plusSeconds(200))).isEmpty();
  }

  // Resending

  @Test
  void resendRequeuesFailedPayloadsWithAttemptsReset() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    WebhookRow other = webhook(account, EventType.newLead, "other");
    publish(account, EventType.newLead, T0);
    for (Claim c : claimAll(T0)) {
      store.record(List.of(attempt(c, "failed", T0.plusSeconds(1))));
    }
    publish(account, EventType.newLead, T0.plusSeconds(2));
    Claim delivered = claimAll(T0.plusSeconds(2)).get(0);
    store.record(List.of(attempt(delivered, "delivered", T0.plusSeconds(3))));

    assertThat(store.resend(account.id(), id(hook), Optional.empty(), T0.plusSeconds(10)))
        .isEqualTo(1);

    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.failed)).isZero();
    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.pending)).isEqualTo(1);
    assertThat(store.countPayloads(account.id(), id(other), PayloadState.failed)).isEqualTo(1);
    List<Claim> again = claimAll(T0.plusSeconds(10));
    assertThat(again).extracting(Claim::webhookId).containsExactly(id(hook));
    assertThat(again.get(0).attempt()).isEqualTo(1);
  }

  @Test
  void resendOfADisabledWebhookHoldsThePayloadsUntilItIsEnabled() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    publish(account, EventType.newLead, T0);
    store.record(List.of(attempt(claimAll(T0).get(0), "failed", T0.plusSeconds(1))));
    store.updateWebhook(account.id(), id(hook), enabled(false), T0.plusSeconds(2));

    assertThat(store.resend(account.id(), id(hook), Optional.empty(), T0.plusSeconds(3)))
        .isEqualTo(1);

    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.held)).isEqualTo(1);
    assertThat(claimAll(T0.plusSeconds(3))).isEmpty();
    store.updateWebhook(account.id(), id(hook), enabled(true), T0.plusSeconds(4));
    assertThat(claimAll(T0.plusSeconds(4))).hasSize(1);
  }

  @Test
  void resendSinceTakesOnlyPayloadsCreatedFromThatTime() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    for (int i = 0; i < 3; i++) {
      publish(account, EventType.newLead, T0.plusSeconds(10L * i));
    }
    for (Claim c : claimAll(T0.plusSeconds(30))) {
      store.record(List.of(attempt(c, "failed", T0.plusSeconds(31))));
    }

    assertThat(
            store.resend(
                account.id(), id(hook), Optional.of(T0.plusSeconds(10)), T0.plusSeconds(40)))
        .isEqualTo(2);

    assertThat(store.countPayloads(account.id(), id(hook), PayloadState.failed)).isEqualTo(1);
    assertThat(claimAll(T0.plusSeconds(40)))
        .extracting(Claim::eventCreated)
        .containsExactly(T0.plusSeconds(10), T0.plusSeconds(20));
  }

  // The log

  @Test
  void logListsNewestFirstWithPagingTotalAndTheEventsData() {
    Account account = account();
    WebhookRow hook = webhook(account, EventType.newLead, "CRM");
    WebhookRow other = webhook(account(), EventType.newLead, "other");
    List<AttemptRecord> records = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      store.publish(
          account.id(),
          List.of(new NewEvent(EventType.newLead, "{\"n\":" + i + "}", Optional.empty())),
          T0.plusSeconds(i),
          WINDOW);
    }
    for (Claim c : claimAll(T0.plusSeconds(30))) {
      AttemptRecord r = attempt(c, "delivered", c.eventCreated().plusSeconds(100));
      records.add(r);
    }
    store.record(records);

    Page<LogEntry> first = store.log(account.id(), id(hook), 0, 20);
    Page<LogEntry> second = store.log(account.id(), id(hook), 1, 20);

    assertThat(first.total()).isEqualTo(25);
    assertThat(second.total()).isEqualTo(25);
    assertThat(first.items()).hasSize(20);
    assertThat(second.items()).hasSize(5);
    List<LogEntry> all = new ArrayList<>(first.items());
    all.addAll(second.items());
    assertThat(all)
        .extracting(LogEntry::data)
        .isEqualTo(
            IntStream.iterate(24, i -> i >= 0, i -> i - 1)
                .mapToObj(i -> "{\"n\":" + i + "}")
                .toList());
    LogEntry newest = all.get(0);
    assertThat(newest.event()).isEqualTo(EventType.newLead);
    assertThat(newest.eventCreated()).isEqualTo(T0.plusSeconds(24));
    assertThat(newest.created()).isEqualTo(T0.plusSeconds(124));
    assertThat(newest.webhookId()).isEqualTo(id(hook));
    assertThat(store.log(account.id(), id(other), 0, 20).total()).isZero();
  }

  // Admin sessions

  @Test
  void adminSessionIsFoundByItsIdHashWithWhatItWasGiven() {
    Account account = account();
    StoredSession started = session(account, "a", T0);
    startSession(started);

    assertThat(store.findAdminSession("a")).contains(started);
    assertThat(store.findAdminSession("b")).isEmpty();

    var notice = new StoredSession.Notice(true, "Nothing was changed.");
    var secret = new StoredSession.SealedSecret("0WA000000000001", "v1:sealed", true);
    store.setAdminSessionNotice("a", notice);
    store.setAdminSessionSecret("a", secret);
    assertThat(store.findAdminSession("a").orElseThrow())
        .extracting(StoredSession::notice, StoredSession::secret)
        .containsExactly(Optional.of(notice), Optional.of(secret));

    store.deleteAdminSession("a");
    assertThat(store.findAdminSession("a")).isEmpty();
  }

  @Test
  void adminSessionsLastSeenMovesOnlyForward() {
    startSession(session(account(), "a", T0));

    store.touchAdminSession("a", T0.plusSeconds(60));
    store.touchAdminSession("a", T0.plusSeconds(30));

    assertThat(store.findAdminSession("a").orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void noticeAndSecretAreTakenOnceAndOnlyAsTheyWereRead() {
    startSession(session(account(), "a", T0));
    var saved = new StoredSession.Notice(false, "Saved.");
    store.setAdminSessionNotice("a", saved);
    store.setAdminSessionSecret(
        "a", new StoredSession.SealedSecret("0WA000000000001", "v1:first", false));
    // Replaced after it was read: the later one is not the reader's to take.
    store.setAdminSessionSecret(
        "a", new StoredSession.SealedSecret("0WA000000000001", "v1:second", true));

    assertThat(store.takeAdminSessionNotice("a", new StoredSession.Notice(true, "Saved.")))
        .isFalse();
    assertThat(store.takeAdminSessionNotice("a", saved)).isTrue();
    assertThat(store.takeAdminSessionNotice("a", saved)).isFalse();
    assertThat(store.takeAdminSessionSecret("a", "v1:first")).isFalse();
    assertThat(store.takeAdminSessionSecret("a", "v1:second")).isTrue();
    assertThat(store.takeAdminSessionSecret("a", "v1:second")).isFalse();
    assertThat(store.findAdminSession("a").orElseThrow())
        .extracting(StoredSession::notice, StoredSession::secret)
        .containsExactly(Optional.empty(), Optional.empty());
  }

  @Test
  void startingASessionDeletesExpiredOnesAndTheAccountsLeastRecentlySeenBeyondTheBound() {
    Account acme = account();
    Account other = account();
    Instant now = T0.plus(Duration.ofHours(13));
    // Other's: one idle too long, one too old though seen a second ago, one live.
    startSession(session(other, "idle", now.minus(Duration.ofMinutes(40))));
    startSession(session(other, "old", T0));
    store.touchAdminSession("old", now.minusSeconds(1));
    startSession(session(other, "live", now.minusSeconds(1)));
    // Acme's: three live ones, seen at different times.
    for (int i = 0; i < 3; i++) {
      startSession(session(acme, "acme" + i, now.minusSeconds(10 - i)));
    }

    store.startAdminSession(
        session(acme, "new", now),
        now.minus(Duration.ofMinutes(30)),
        now.minus(Duration.ofHours(12)),
        3);

    assertThat(
            List.of("idle", "old", "live", "acme0", "acme1", "acme2", "new").stream()
                .filter(id -> store.findAdminSession(id).isPresent()))
        .containsExactly("live", "acme1", "acme2", "new");
  }

  /** A session of {@code account}, started and last seen at {@code at}. */
  static StoredSession session(Account account, String idHash, Instant at) {
    return new StoredSession(
        idHash,
        account.id(),
        ApiKeys.hash("key"),
        "csrf-" + idHash,
        at,
        at,
        Optional.empty(),
        Optional.empty());
  }

  /** Starts a session, deleting none. */
  void startSession(StoredSession session) {
    store.startAdminSession(session, Instant.EPOCH, Instant.EPOCH, 1000);
  }

  // Helpers

  Account account() {
    return store.createAccount("account", ApiKeys.hash(ApiKeys.generate()), T0);
  }

  WebhookRow webhook(Account account, EventType event, String name) {
    return webhook(account, event, name, true, Optional.empty());
  }

  WebhookRow webhook(Account account, EventType event, String name, int batchSize) {
    return insert(
        account, name, "", event, true, Optional.empty(), batchSize, Optional.empty(), T0, T0);
  }

  WebhookRow webhook(
      Account account,
      EventType event,
      String name,
      boolean enabled,
      Optional<RetrySchedule> schedule) {
    return insert(account, name, "", event, enabled, schedule, 1, Optional.empty(), T0, T0);
  }

  WebhookRow webhook(
      Account account,
      String name,
      String description,
      boolean enabled,
      Optional<Instant> lastExecution,
      Instant created,
      Instant modified) {
    return insert(
        account,
        name,
        description,
        EventType.newLead,
        enabled,
        Optional.empty(),
        1,
        lastExecution,
        created,
        modified);
  }

  WebhookRow insert(
      Account account,
      String name,
      String description,
      EventType event,
      boolean enabled,
      Optional<RetrySchedule> schedule,
      int batchSize,
      Optional<Instant> lastExecution,
      Instant created,
      Instant modified) {
    String id = Ids.WEBHOOK.next();
    WebhookRow row =
        new WebhookRow(
            new Webhook(
                account.id(),
                id,
                name,
                description,
                event,
                "https://receiver.example.com/" + id,
                enabled,
                schedule,
                batchSize,
                lastExecution,
                created,
                modified),
            "sealed-" + id,
            Optional.empty(),
            Optional.empty());
    store.insertWebhook(row);
    return row;
  }

  static String id(WebhookRow row) {
    return row.webhook().id();
  }

  static List<String> ids(Collection<WebhookRow> rows) {
    return rows.stream().map(StoreContract::id).toList();
  }

  static List<WebhookRow> sorted(WebhookRow... rows) {
    return Arrays.stream(rows).sorted(Comparator.comparing(StoreContract::id)).toList();
  }

  static WebhookQuery query(Optional<EventType> event, Optional<String> name) {
    return new WebhookQuery(event, name, WebhookOrder.name, 0, 100);
  }

  List<WebhookRow> list(Account account, String name) {
    return store.listWebhooks(account.id(), query(Optional.empty(), Optional.of(name))).items();
  }

  static WebhookChanges enabled(boolean enabled) {
    return new WebhookChanges(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(enabled),
        Optional.empty(),
        Optional.empty());
  }

  static ChangesBuilder changes() {
    return new ChangesBuilder();
  }

  static final class ChangesBuilder {
    private Optional<String> name = Optional.empty();

    ChangesBuilder name(String value) {
      name = Optional.of(value);
      return this;
    }

    WebhookChanges build() {
      return new WebhookChanges(
          name,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());
    }
  }

  private final Map<String, String> dataOfEvent = new ConcurrentHashMap<>();

  /** Publishes an event with data unique within the test, so claims can be told apart. */
  PublishedEvent publish(Account account, EventType event, Instant now) {
    String data = "{\"seq\":" + dataOfEvent.size() + "}";
    PublishedEvent published =
        store
            .publish(
                account.id(), List.of(new NewEvent(event, data, Optional.empty())), now, WINDOW)
            .get(0);
    dataOfEvent.put(published.id(), data);
    return published;
  }

  PublishedEvent publish(Account account, String idempotencyKey, Instant now) {
    return store
        .publish(
            account.id(),
            List.of(
                new NewEvent(
                    EventType.newLead,
                    "{\"key\":\"" + idempotencyKey + "\"}",
                    Optional.of(idempotencyKey))),
            now,
            WINDOW)
        .get(0);
  }

  /** The data an event was published with, as a claim carries it. */
  String data(PublishedEvent event) {
    return dataOfEvent.get(event.id());
  }

  List<Claim> claim(int limit, Instant now, Instant leaseUntil) {
    return store.claim(limit, 1000, List.of(), now, leaseUntil);
  }

  List<Claim> claimAll(Instant now) {
    return claim(10_000, now, now.plus(LEASE));
  }

  Optional<Instant> lastExecution(Account account, WebhookRow hook) {
    return store.findWebhook(account.id(), id(hook)).orElseThrow().webhook().lastExecution();
  }

  static AttemptRecord attempt(Claim c, String state, Instant at) {
    return attempt(c, state, at, at);
  }

  static AttemptRecord attempt(Claim c, String state, Instant at, Instant dueAt) {
    return new AttemptRecord(
        c.accountId(),
        c.payloadId(),
        c.webhookId(),
        Ids.LOG.next(),
        c.attempt(),
        at,
        "delivered".equals(state) ? 200 : 500,
        1_000,
        null,
        "",
        PayloadState.valueOf(state),
        dueAt);
  }

  /** Runs {@code task} on {@code threads} threads released at once, and returns their results. */
  static <T> List<T> concurrently(int threads, IntFunction<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int n = i;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return task.apply(n);
                }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
