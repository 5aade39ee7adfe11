package io.hookwire.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailedAuthenticationsTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final FailedAuthentications throttle = new FailedAuthentications(now::get, 5);

  @Test
  void anAddressIsRefusedAfterItsBudgetOfFailuresAndMayTryAgainAsItRefills() {
    for (int i = 0; i < 5; i++) {
      assertThat(throttle.refusal("203.0.113.1", "001a")).isEmpty();
      throttle.failed("203.0.113.1", "001a");
    }

    // Refused for any account, the right key included: it is not checked.
    assertThat(throttle.refusal("203.0.113.1", "001a")).hasValue(12);
    assertThat(throttle.refusal("203.0.113.1", "001b")).hasValue(12);
    assertThat(throttle.refusal("203.0.113.2", "001b")).isEmpty();

    now.addAndGet(12_000); // 5 a minute: one every 12 s
    assertThat(throttle.refusal("203.0.113.1", "001a")).isEmpty();
  }

  @Test
  void anAddressThatSignedInBeforeIsAlwaysCheckedForThatAccount() {
    throttle.succeeded("198.51.100.7", "001a");
    for (int i = 0; i < 5; i++) {
      throttle.failed("198.51.100.7", "001b");
    }

    assertThat(throttle.refusal("198.51.100.7", "001b")).isPresent();
    assertThat(throttle.refusal("198.51.100.7", "001a")).isEmpty();
  }

  @Test
  void anAccountUnderAttackFromManyAddressesStillLetsANewAddressTry() {
    // 25 failures (the account's budget, five times an address's) from 25 addresses.
    for (int i = 0; i < 25; i++) {
      throttle.failed("203.0.113." + i, "001a");
    }

    // Each attacking address has failed for the account: refused while the budget is spent ...
    assertThat(throttle.refusal("203.0.113.3", "001a")).isPresent();
    // ... though its own budget is not (one failure of five): other accounts are still checked.
    assertThat(throttle.refusal("203.0.113.3", "001b")).isEmpty();
    // A new address has not failed for it: the owner with the right key gets in.
    assertThat(throttle.refusal("198.51.100.7", "001a")).isEmpty();
  }

  @Test
  void aSignInAfterFailuresVouchesForTheAddressAgain() {
    for (int i = 0; i < 5; i++) {
      throttle.failed("198.51.100.7", "001a");
    }
    now.addAndGet(12_000);
    throttle.succeeded("198.51.100.7", "001a");
    throttle.failed("198.51.100.7", "001b");

    assertThat(throttle.refusal("198.51.100.7", "001a")).isEmpty();
  }

  @Test
  void aLimitOfZeroThrottlesNothing() {
    FailedAuthentications off = new FailedAuthentications(now::get, 0);
    for (int i = 0; i < 1_000; i++) {
      off.failed("203.0.113.1", "001a");
    }

    assertThat(off.refusal("203.0.113.1", "001a")).isEmpty();
  }
}
