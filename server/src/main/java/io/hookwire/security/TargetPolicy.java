package io.hookwire.security;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which URLs a webhook may have and which addresses a delivery may connect to. By default only
 * {@code https://} and only globally reachable addresses; {@link #permissive()} (the {@code
 * --allow-private-targets} switch) lifts both for development; {@link #allowing} opens named ranges
 * only.
 */
public final class TargetPolicy {
  /** Longer URLs are almost always a mistake; common browsers and proxies cap near here. */
  public static final int MAX_URL_LENGTH = 2048;

  private final boolean permissive;
  private final List<Cidr> allowed;

  private TargetPolicy(boolean permissive, List<Cidr> allowed) {
    this.permissive = permissive;
    this.allowed = List.copyOf(allowed);
  }

  public static TargetPolicy strict() {
    return new TargetPolicy(false, List.of());
  }

  public static TargetPolicy permissive() {
    return new TargetPolicy(true, List.of());
  }

  public static TargetPolicy allowing(List<Cidr> ranges) {
    return new TargetPolicy(false, ranges);
  }

  public boolean isPermissive() {
    return permissive;
  }

  /** One line for the start-up log. */
  public String describe() {
    if (permissive) {
      return "any target allowed, http:// included (--allow-private-targets: for development only)";
    }
    if (allowed.isEmpty()) {
      return "https:// to globally reachable addresses only";
    }
    return "https:// to globally reachable addresses and to "
        + allowed.stream().map(Cidr::toString).collect(Collectors.joining(", "));
  }

  /**
   * Why a webhook may not have this URL, or empty when it may. Needs no DNS: names are vetted at
   * delivery time, address literals here already.
   */
  public Optional<String> whyUrlRejected(String url) {
    if (url == null || url.isBlank()) {
      return Optional.of("Url is required");
    }
    if (url.length() > MAX_URL_LENGTH) {
      return Optional.of("Url must be at most " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("Url is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http"))) {
      return Optional.of("Url must be an absolute https:// URL");
    }
    if (scheme.equals("http") && !permissive) {
      return Optional.of("Url must use https://");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("Url must not contain credentials");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      return Optional.of("Url must name a host");
    }
    if (uri.getFragment() != null) {
      return Optional.of("Url must not contain a fragment");
    }
    if (permissive) {
      return Optional.empty();
    }
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    Optional<InetAddress> literal = literal(bare);
    if (literal.isPresent()) {
      return whyBlocked(literal.get()).map(reason -> "Url points to a blocked address: " + reason);
    }
    String name = bare.toLowerCase(Locale.ROOT);
    if (name.equals("localhost") || name.endsWith(".localhost")) {
      return Optional.of("Url points to a blocked address: localhost is loopback");
    }
    try {
      IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES);
    } catch (IllegalArgumentException e) {
      return Optional.of("Url has an invalid host name");
    }
    return Optional.empty();
  }

  /** Why a delivery may not connect to {@code address}, or empty when it may. */
  public Optional<String> whyBlocked(InetAddress address) {
    if (permissive) {
      return Optional.empty();
    }
    byte[] raw = address.getAddress();
    for (Cidr range : allowed) {
      if (range.contains(raw)) {
        return Optional.empty();
      }
    }
    return Addresses.whyBlocked(address);
  }

  /**
   * The address that {@code host} spells, when it is an IP literal in any spelling (dotted,
   * decimal, octal, hex, IPv6); empty when it is a name to resolve.
   */
  public static Optional<InetAddress> literal(String host) {
    try {
      if (host.contains(":")) {
        return Optional.of(InetAddress.getByName(host));
      }
      Optional<byte[]> v4 = Addresses.numericV4(host);
      if (v4.isPresent()) {
        return Optional.of(InetAddress.getByAddress(v4.get()));
      }
      return Optional.empty();
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
