package io.hookwire.delivery;

import io.hookwire.security.TargetPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.Dns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a webhook's host at delivery time and hands OkHttp only the addresses the policy allows.
 * OkHttp connects to exactly these addresses, so a name that resolves to a public address at
 * creation and to an internal one later (DNS rebinding) is caught here, where it matters.
 */
final class VettingDns implements Dns {
  private static final Logger log = LoggerFactory.getLogger(VettingDns.class);

  private final Dns resolver;
  private final TargetPolicy policy;

  VettingDns(Dns resolver, TargetPolicy policy) {
    this.resolver = resolver;
    this.policy = policy;
  }

  @Override
  public List<InetAddress> lookup(String hostname) throws UnknownHostException {
    List<InetAddress> resolved = resolver.lookup(hostname);
    List<InetAddress> allowed = new ArrayList<>(resolved.size());
    List<String> reasons = new ArrayList<>();
    for (InetAddress address : resolved) {
      Optional<String> why = policy.whyBlocked(address);
      if (why.isEmpty()) {
        allowed.add(address);
      } else {
        reasons.add(why.get());
      }
    }
    if (allowed.isEmpty()) {
      throw new BlockedTargetException(
          hostname
              + " resolves to blocked addresses only: "
              + (reasons.isEmpty() ? "none at all" : String.join("; ", reasons)));
    }
    if (!reasons.isEmpty()) {
      // Mixed answers are how rebinding attacks start; the operator should see them.
      log.warn(
          "{} resolves to blocked addresses too; connecting only to {}. Blocked: {}",
          hostname,
          allowed,
          String.join("; ", reasons));
    }
    return allowed;
  }

  /** A delivery refused before it reached the network. */
  static final class BlockedTargetException extends UnknownHostException {
    BlockedTargetException(String message) {
      super(message);
    }
  }
}
