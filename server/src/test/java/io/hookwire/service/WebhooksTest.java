package io.hookwire.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import io.hookwire.config.Config;
import io.hookwire.core.Account;
import io.hookwire.security.ApiKeys;
import io.hookwire.security.SecretBox;
import io.hookwire.security.TargetPolicy;
import io.hookwire.store.Store;
import io.hookwire.store.Stores;
import io.hookwire.testing.TestClock;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on its own, as the API and the admin pages both call it: commands in, webhooks or
 * every field's error at once out, against a real SQLite store.
 */
class WebhooksTest {
  private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

  @TempDir Path dir;
  private Store store;
  private Webhooks webhooks;
  private Account account;
  private final AtomicInteger wakeUps = new AtomicInteger();

  @BeforeEach
  void open() {
    store = Stores.open(Optional.empty(), dir, 2);
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    webhooks =
        new Webhooks(
            store,
            SecretBox.of(key),
            TargetPolicy.strict(),
            TestClock.standing(NOW),
            Duration.ofHours(24),
            Config.DEFAULT_MIN_RETRY_DELAY,
            wakeUps::incrementAndGet);
    account = store.createAccount("acme", ApiKeys.hash("key"), NOW);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static WebhookFields fields(
      Input name, Input event, Input url, Input isEnabled, Input batchSize) {
    return new WebhookFields(
        name, Input.absent(), event, url, isEnabled, Input.absent(), batchSize);
  }

  /** A valid webhook, enabled as {@code isEnabled} says; returns its id. */
  private String createCrm(Input isEnabled) {
    return webhooks
        .create(
            account.id(),
            fields(
                Input.of("CRM"),
                Input.of("newLead"),
                Input.of("https://example.com/hook"),
                isEnabled,
                Input.absent()))
        .row()
        .webhook()
        .id();
  }

  @Test
  void aValidCommandCreatesTheWebhookWithItsDefaults() {
    Webhooks.WithSecret created =
        webhooks.create(
            account.id(),
            fields(
                Input.of(" CRM sync "),
                Input.of("newLead"),
                Input.of("https://example.com/hook"),
                Input.absent(),
                Input.absent()));

    assertThat(created.secret()).matches("[0-9a-f]{64}");
    assertThat(created.row().webhook().name()).isEqualTo("CRM sync");
    assertThat(created.row().webhook().enabled()).isTrue();
    assertThat(created.row().webhook().batchSize()).isEqualTo(1);
    assertThat(webhooks.get(account.id(), created.row().webhook().id())).isEqualTo(created.row());
  }

  @Test
  void everyInvalidFieldIsNamedAtOnceAndNothingIsStored() {
    assertThatThrownBy(
            () ->
                webhooks.create(
                    account.id(),
                    fields(
                        Input.notText(),
                        Input.absent(),
                        Input.of("http://127.0.0.1/hook"),
                        Input.of("yes"),
                        Input.of("1000"))))
        .isInstanceOf(ValidationException.class)
        .extracting(e -> ((ValidationException) e).errors(), MAP)
        .containsOnlyKeys("event", "name", "url", "isEnabled", "batchSize")
        .containsEntry("name", "name must be a string")
        .containsEntry("event", "event is required")
        .containsEntry("isEnabled", "isEnabled must be 1 or 0")
        .containsEntry("batchSize", "batchSize must be a whole number from 1 to 100");
    assertThat(
            webhooks
                .list(
                    account.id(),
                    new ListWebhooks(
                        Input.absent(), Input.absent(), Input.absent(), PageRequest.of(0, 20)))
                .total())
        .isZero();
  }

  @Test
  void anotherAccountsWebhookIsNotFound() {
    String id = createCrm(Input.absent());
    Account other = store.createAccount("other", ApiKeys.hash("other"), NOW);

    assertThatThrownBy(() -> webhooks.get(other.id(), id))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("Webhook not found");
    assertThatThrownBy(() -> webhooks.update(other.id(), id, WebhookFields.enabled(false)))
        .isInstanceOf(NotFoundException.class);
    assertThat(webhooks.get(account.id(), id).webhook().enabled()).isTrue();
  }

  @Test
  void enablingWakesTheDispatcherForTheHeldPayloads() {
    String id = createCrm(Input.of("0"));

    webhooks.update(account.id(), id, WebhookFields.enabled(true));

    assertThat(wakeUps).hasValue(1);
    assertThat(webhooks.get(account.id(), id).webhook().enabled()).isTrue();
  }
}
