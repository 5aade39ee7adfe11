package io.hookwire.api;

import io.hookwire.core.Account;
import io.hookwire.core.Ids;
import io.hookwire.security.ApiKeys;
import io.hookwire.store.Store;
import io.hookwire.store.StoredAccount;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** HTTP Basic authentication with {@code ACCOUNT_ID:API_KEY}, as Oktopost's API takes it. */
public final class Auth {
  /** Hashed against when the account does not exist, so both cases take the same time. */
  private static final String NO_SUCH_KEY = ApiKeys.hash("no such account");

  private final Store store;

  public Auth(Store store) {
    this.store = store;
  }

  /** The account whose credentials these are, or empty. */
  public Optional<Account> authenticate(String accountId, String apiKey) {
    if (accountId == null || apiKey == null || apiKey.length() > 256) {
      return Optional.empty();
    }
    if (!Ids.ACCOUNT.matches(accountId)) {
      // Not an id at all (PostgreSQL would even refuse some, such as a NUL): no account has it.
      return Optional.empty();
    }
    Optional<StoredAccount> stored = store.findAccount(accountId);
    boolean matches =
        ApiKeys.matches(apiKey, stored.map(StoredAccount::apiKeyHash).orElse(NO_SUCH_KEY));
    return matches && stored.isPresent() ? stored.map(StoredAccount::account) : Optional.empty();
  }

  /** Parses an {@code Authorization: Basic ...} header. */
  public Optional<Account> authenticate(String authorizationHeader) {
    if (authorizationHeader == null
        || !authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorizationHeader.substring(6).strip()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    return authenticate(decoded.substring(0, colon), decoded.substring(colon + 1));
  }
}
