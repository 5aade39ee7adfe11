package io.hookwire.security;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;

/**
 * Which URLs a webhook may have and which addresses a delivery may connect to. By default only
 * {@code https://} and only globally reachable addresses; {@link #permissive()} (the {@code
 * --allow-private-targets} switch) lifts both for development; {@link #allowing} opens named ranges
 * only.
 *
 * <p>Hosts are judged as OkHttp, which makes the deliveries, reads them: its {@link HttpUrl}
 * decides what the host is, so a URL cannot mean one address here and another on the wire.
 */
public final class TargetPolicy {
  /** Longer URLs are almost always a mistake; common browsers and proxies cap near here. */
  public static final int MAX_URL_LENGTH = 2048;

  /** Hosts OkHttp hands to InetAddress itself, past the Dns hook (its canParseAsIpAddress). */
  private static final Pattern OKHTTP_IP_HOST = Pattern.compile("[0-9.]+");

  private static final InetAddress LOOPBACK_V4 = Addresses.address(new byte[] {127, 0, 0, 1});
  private static final InetAddress LOOPBACK_V6 =
      Addresses.address(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});

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
        + allowed.stream().map(Cidr::toString).collect(Collectors.joining(", "))
        + " (--allow-targets)";
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
    if (url.codePoints().anyMatch(TargetPolicy::isInvisible)) {
      return Optional.of("Url must not contain spaces, control or invisible characters");
    }
    URI uri;
    try {
      // The stricter parser first: what java.net.URI refuses (spaces, backslashes, control
      // characters) is a typo or a trick, though OkHttp would quietly repair it.
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
    if (uri.getRawAuthority() == null) {
      return Optional.of("Url must name a host");
    }
    if (uri.getRawFragment() != null) {
      return Optional.of("Url must not contain a fragment");
    }
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      if (uri.getRawAuthority().contains("%") && uri.getRawAuthority().contains("[")) {
        return Optional.of("Url must not contain an IPv6 zone id");
      }
      return Optional.of("Url is not a valid URL");
    }
    if (uri.getRawUserInfo() != null
        || !parsed.username().isEmpty()
        || !parsed.password().isEmpty()) {
      return Optional.of("Url must not contain credentials");
    }
    return whyHostBlocked(parsed.host()).map(why -> "Url points to a blocked address: " + why);
  }

  /**
   * Why a delivery may not go to {@code host} as {@link HttpUrl#host()} gives it, judged without
   * DNS: an address literal in any spelling (dotted, decimal, octal, hex, IPv6) is checked here, a
   * name that means loopback is refused, and any other name is left to {@link #whyBlocked} on the
   * addresses it resolves to.
   */
  public Optional<String> whyHostBlocked(String host) {
    if (permissive) {
      return Optional.empty();
    }
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    // A fully qualified name's trailing dot changes nothing about where it goes.
    if (h.endsWith(".") && h.length() > 1) {
      h = h.substring(0, h.length() - 1);
    }
    h = h.toLowerCase(Locale.ROOT);
    if (h.contains(":")) {
      Optional<InetAddress> v6 = Addresses.ipv6(h);
      if (v6.isEmpty()) {
        return Optional.of(host + " is not a valid IPv6 address");
      }
      return whyBlocked(v6.get());
    }
    List<byte[]> readings = Addresses.numericReadings(h);
    if (readings.isEmpty()) {
      if (OKHTTP_IP_HOST.matcher(h).matches()) {
        // OkHttp would hand this to InetAddress, past the resolver that vets names.
        return Optional.of(host + " is not a valid IPv4 address");
      }
      if ((h.equals("localhost") || h.endsWith(".localhost"))
          && whyBlocked(LOOPBACK_V4).isPresent()
          && whyBlocked(LOOPBACK_V6).isPresent()) {
        return Optional.of(host + " is loopback");
      }
      return Optional.empty();
    }
    for (byte[] reading : readings) {
      Optional<String> why = whyBlocked(Addresses.address(reading));
      if (why.isPresent()) {
        return Optional.of(
            Addresses.isDottedQuad(h)
                ? why.get()
                : host + " means " + why.get().replaceFirst(" is in ", ", which is in "));
      }
    }
    if (readings.size() > 1) {
      return Optional.of(
          host
              + " is ambiguous: it means "
              + Addresses.format(readings.get(0))
              + " to some programs and "
              + Addresses.format(readings.get(1))
              + " to others; write the address as a.b.c.d");
    }
    return Optional.empty();
  }

  /** Characters that change how a URL reads, or hide in it, but are never part of one. */
  private static boolean isInvisible(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.SPACE_SEPARATOR,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.UNASSIGNED ->
          true;
      default -> false;
    };
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
}
