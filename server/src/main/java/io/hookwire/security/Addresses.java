package io.hookwire.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which addresses a delivery may reach. Everything not globally reachable is blocked: the IANA
 * special-purpose registries (RFC 6890 and successors) for IPv4 and IPv6, with IPv6 forms that
 * embed an IPv4 address judged by that address.
 */
public final class Addresses {
  // Declared first: Cidr.parse below uses them while this class initializes.
  private static final Pattern V4_LITERAL = Pattern.compile("[0-9.]+");
  private static final Pattern NUMERIC_SPELLING = Pattern.compile("(?i)[0-9a-fx.]+");

  private static final List<Cidr> BLOCKED_V4 =
      List.of(
          Cidr.parse("0.0.0.0/8"), // "this network"
          Cidr.parse("10.0.0.0/8"), // private
          Cidr.parse("100.64.0.0/10"), // carrier-grade NAT
          Cidr.parse("127.0.0.0/8"), // loopback
          Cidr.parse("169.254.0.0/16"), // link-local, cloud metadata at 169.254.169.254
          Cidr.parse("172.16.0.0/12"), // private
          Cidr.parse("192.0.0.0/24"), // IETF protocol assignments
          Cidr.parse("192.0.2.0/24"), // documentation
          Cidr.parse("192.88.99.0/24"), // 6to4 relay anycast
          Cidr.parse("192.168.0.0/16"), // private
          Cidr.parse("198.18.0.0/15"), // benchmarking
          Cidr.parse("198.51.100.0/24"), // documentation
          Cidr.parse("203.0.113.0/24"), // documentation
          Cidr.parse("224.0.0.0/4"), // multicast
          Cidr.parse("240.0.0.0/4")); // reserved, and 255.255.255.255 broadcast

  private static final List<Cidr> BLOCKED_V6 =
      List.of(
          Cidr.parse("::/128"), // unspecified
          Cidr.parse("::1/128"), // loopback
          Cidr.parse("100::/64"), // discard
          Cidr.parse("2001::/23"), // IETF protocol assignments (Teredo among them)
          Cidr.parse("2001:db8::/32"), // documentation
          Cidr.parse("fc00::/7"), // unique local
          Cidr.parse("fe80::/10"), // link-local
          Cidr.parse("fec0::/10"), // site-local (deprecated)
          Cidr.parse("ff00::/8")); // multicast

  /** Only 2000::/3 is global unicast; everything outside it is blocked as well. */
  private static final Cidr GLOBAL_UNICAST_V6 = Cidr.parse("2000::/3");

  private Addresses() {}

  /** Why {@code address} may not be reached, or empty when it is globally reachable. */
  public static Optional<String> whyBlocked(InetAddress address) {
    byte[] raw = address.getAddress();
    if (raw.length == 16) {
      Optional<byte[]> embedded = embeddedV4(raw);
      if (embedded.isPresent()) {
        raw = embedded.get();
      } else {
        if (!GLOBAL_UNICAST_V6.contains(raw)) {
          return Optional.of(address.getHostAddress() + " is not a global unicast address");
        }
        for (Cidr range : BLOCKED_V6) {
          if (range.contains(raw)) {
            return Optional.of(address.getHostAddress() + " is in the reserved range " + range);
          }
        }
        return Optional.empty();
      }
    }
    for (Cidr range : BLOCKED_V4) {
      if (range.contains(raw)) {
        return Optional.of(ipv4(raw) + " is in the internal or reserved range " + range);
      }
    }
    return Optional.empty();
  }

  /**
   * IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4
   * (2002::/16) addresses reach the IPv4 address they carry.
   */
  private static Optional<byte[]> embeddedV4(byte[] v6) {
    boolean zeros80 = true;
    for (int i = 0; i < 10; i++) {
      zeros80 &= v6[i] == 0;
    }
    boolean mapped = zeros80 && (v6[10] & 0xff) == 0xff && (v6[11] & 0xff) == 0xff;
    boolean compatible = zeros80 && v6[10] == 0 && v6[11] == 0;
    boolean nat64 = v6[0] == 0 && v6[1] == 0x64 && (v6[2] & 0xff) == 0xff && (v6[3] & 0xff) == 0x9b;
    for (int i = 4; nat64 && i < 12; i++) {
      nat64 = v6[i] == 0;
    }
    if (mapped || compatible || nat64) {
      return Optional.of(new byte[] {v6[12], v6[13], v6[14], v6[15]});
    }
    if (v6[0] == 0x20 && v6[1] == 0x02) {
      return Optional.of(new byte[] {v6[2], v6[3], v6[4], v6[5]});
    }
    return Optional.empty();
  }

  /** Whether {@code host} is an IP address literal (dotted IPv4 or bracketless IPv6). */
  static boolean isLiteral(String host) {
    return V4_LITERAL.matcher(host).matches() || host.contains(":");
  }

  /**
   * The IPv4 address that {@code host} spells with the lenient rules of inet_aton, which browsers
   * and many HTTP stacks share: {@code 2130706433}, {@code 0x7f.1}, {@code 017700000001} all mean
   * 127.0.0.1. Empty when {@code host} is not such a spelling (then it is a name).
   */
  public static Optional<byte[]> numericV4(String host) {
    if (!NUMERIC_SPELLING.matcher(host).matches() || host.endsWith(".")) {
      return Optional.empty();
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length > 4) {
      return Optional.empty();
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Optional<Long> v = parsePart(parts[i]);
      if (v.isEmpty()) {
        return Optional.empty();
      }
      values[i] = v.get();
    }
    long address = 0;
    for (int i = 0; i < parts.length - 1; i++) {
      if (values[i] > 255) {
        return Optional.empty();
      }
      address |= values[i] << (24 - 8 * i);
    }
    long last = values[parts.length - 1];
    if (last >= 1L << (8 * (5 - parts.length))) {
      return Optional.empty();
    }
    address |= last;
    return Optional.of(
        new byte[] {
          (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
        });
  }

  private static Optional<Long> parsePart(String part) {
    try {
      if (part.isEmpty()) {
        return Optional.empty();
      }
      if (part.startsWith("0x") || part.startsWith("0X")) {
        return part.length() == 2 || part.length() > 10
            ? Optional.empty()
            : Optional.of(Long.parseLong(part.substring(2), 16));
      }
      if (part.length() > 1 && part.startsWith("0")) {
        return part.length() > 12 ? Optional.empty() : Optional.of(Long.parseLong(part, 8));
      }
      return part.length() > 10 ? Optional.empty() : Optional.of(Long.parseLong(part));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  static String ipv4(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
