package io.hookwire.delivery;

import io.hookwire.security.TargetPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.Dns;

/**
 * Resolves a webhook's host at delivery time and hands OkHttp only the addresses the policy allows.
 * OkHttp connects to exactly these addresses, so a name that resolves to a public address at
 * creation and to an internal one later (DNS rebinding) is caught here, where it matters.
 */
final class VettingDns implements Dns {
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
    String firstReason = null;
    for (InetAddress address : resolved) {
      Optional<String> why = policy.whyBlocked(address);
      if (why.isEmpty()) {
        allowed.add(address);
      } else if (firstReason == null) {
        firstReason = why.get();
      }
    }
    if (allowed.isEmpty()) {
      throw new BlockedTargetException(hostname + " resolves to a blocked address: " + firstReason);
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
