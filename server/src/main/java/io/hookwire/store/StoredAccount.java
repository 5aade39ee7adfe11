package io.hookwire.store;

import io.hookwire.core.Account;

public record StoredAccount(Account account, String apiKeyHash) {}
