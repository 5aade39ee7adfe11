package io.hookwire.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
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
  private static final Pattern DOTTED_QUAD =
      Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
  private static final Pattern NUMERIC_SPELLING = Pattern.compile("(?i)[0-9a-fx.]+");
  private static final Pattern DECIMAL_SPELLING = Pattern.compile("[0-9.]+");

  /** A blocked range and what it is, for messages a user can act on. */
  private record Range(Cidr cidr, String what) {}

  private static final List<Range> BLOCKED_V4 =
      List.of(
          new Range(Cidr.parse("0.0.0.0/8"), "\"this network\""),
          new Range(Cidr.parse("10.0.0.0/8"), "private network"),
          new Range(Cidr.parse("100.64.0.0/10"), "carrier-grade NAT"),
          new Range(Cidr.parse("127.0.0.0/8"), "loopback"),
          new Range(Cidr.parse("169.254.0.0/16"), "link-local, cloud metadata"),
          new Range(Cidr.parse("172.16.0.0/12"), "private network"),
          new Range(Cidr.parse("192.0.0.0/24"), "IETF protocol assignments"),
          new Range(Cidr.parse("192.0.2.0/24"), "documentation"),
          new Range(Cidr.parse("192.88.99.0/24"), "6to4 relay anycast"),
          new Range(Cidr.parse("192.168.0.0/16"), "private network"),
          new Range(Cidr.parse("198.18.0.0/15"), "benchmarking"),
          new Range(Cidr.parse("198.51.100.0/24"), "documentation"),
          new Range(Cidr.parse("203.0.113.0/24"), "documentation"),
          new Range(Cidr.parse("224.0.0.0/4"), "multicast"),
          new Range(Cidr.parse("255.255.255.255/32"), "broadcast"),
          new Range(Cidr.parse("240.0.0.0/4"), "reserved"));

  private static final List<Range> BLOCKED_V6 =
      List.of(
          new Range(Cidr.parse("::/128"), "unspecified"),
          new Range(Cidr.parse("::1/128"), "loopback"),
          new Range(Cidr.parse("100::/64"), "discard"),
          new Range(Cidr.parse("2001::/23"), "IETF protocol assignments, Teredo"),
          new Range(Cidr.parse("2001:db8::/32"), "documentation"),
          new Range(Cidr.parse("3fff::/20"), "documentation"),
          new Range(Cidr.parse("fc00::/7"), "unique local"),
          new Range(Cidr.parse("fe80::/10"), "link-local"),
          new Range(Cidr.parse("fec0::/10"), "site-local"),
          new Range(Cidr.parse("ff00::/8"), "multicast"));

  /** Only 2000::/3 is global unicast; everything outside it is blocked as well. */
  private static final Cidr GLOBAL_UNICAST_V6 = Cidr.parse("2000::/3");

  private Addresses() {}

  /** Why {@code address} may not be reached, or empty when it is globally reachable. */
  public static Optional<String> whyBlocked(InetAddress address) {
    byte[] raw = address.getAddress();
    if (raw.length == 4) {
      return whyBlockedV4(raw).map(why -> format(raw) + " is in " + why);
    }
    for (Range range : BLOCKED_V6) {
      if (range.cidr().contains(raw)) {
        return Optional.of(format(raw) + " is in " + range.cidr() + " (" + range.what() + ")");
      }
    }
    Optional<Embedded> embedded = embeddedV4(raw);
    if (embedded.isPresent()) {
      byte[] v4 = embedded.get().v4();
      Optional<String> why = whyBlockedV4(v4);
      if (why.isPresent()) {
        return Optional.of(
            format(raw)
                + " ("
                + embedded.get().form()
                + ") reaches "
                + format(v4)
                + ", in "
                + why.get());
      }
      if (embedded.get().form().equals(COMPATIBLE)) {
        return Optional.of(format(raw) + " is in ::/96 (IPv4-compatible, deprecated)");
      }
      return Optional.empty();
    }
    if (!GLOBAL_UNICAST_V6.contains(raw)) {
      return Optional.of(format(raw) + " is outside 2000::/3 (global unicast)");
    }
    return Optional.empty();
  }

  private static Optional<String> whyBlockedV4(byte[] v4) {
    for (Range range : BLOCKED_V4) {
      if (range.cidr().contains(v4)) {
        return Optional.of(range.cidr() + " (" + range.what() + ")");
      }
    }
    return Optional.empty();
  }

  private static final String MAPPED = "IPv4-mapped";
  private static final String COMPATIBLE = "IPv4-compatible";

  private record Embedded(byte[] v4, String form) {}

  /**
   * IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4
   * (2002::/16) addresses reach the IPv4 address they carry.
   */
  private static Optional<Embedded> embeddedV4(byte[] v6) {
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
    byte[] last4 = {v6[12], v6[13], v6[14], v6[15]};
    if (mapped) {
      return Optional.of(new Embedded(last4, MAPPED));
    }
    if (compatible) {
      return Optional.of(new Embedded(last4, COMPATIBLE));
    }
    if (nat64) {
      return Optional.of(new Embedded(last4, "NAT64"));
    }
    if (v6[0] == 0x20 && v6[1] == 0x02) {
      return Optional.of(new Embedded(new byte[] {v6[2], v6[3], v6[4], v6[5]}, "6to4"));
    }
    return Optional.empty();
  }

  /** Whether {@code text} is an IPv4 address written the one unambiguous way, {@code a.b.c.d}. */
  static boolean isDottedQuad(String text) {
    if (!DOTTED_QUAD.matcher(text).matches()) {
      return false;
    }
    for (String part : text.split("\\.")) {
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  /**
   * Every IPv4 address that {@code host} may mean to some program, when it is a numeric spelling;
   * empty when it is a name. Stacks disagree: inet_aton (C libraries, browsers, curl) reads {@code
   * 0x7f.1} and {@code 0177.0.0.1} as hex and octal, Java's InetAddress reads {@code 0127.0.0.1} as
   * decimal 127.0.0.1; all read {@code 2130706433} and {@code 127.1} as 127.0.0.1.
   */
  public static List<byte[]> numericReadings(String host) {
    List<byte[]> readings = new ArrayList<>(2);
    numericV4(host).ifPresent(readings::add);
    decimalV4(host)
        .filter(d -> readings.isEmpty() || !java.util.Arrays.equals(d, readings.get(0)))
        .ifPresent(readings::add);
    return readings;
  }

  /**
   * The IPv4 address that {@code host} spells with the lenient rules of inet_aton, which browsers
   * and many HTTP stacks share: {@code 2130706433}, {@code 0x7f.1}, {@code 017700000001} all mean
   * 127.0.0.1. Empty when {@code host} is not such a spelling (then it is a name).
   */
  public static Optional<byte[]> numericV4(String host) {
    if (!NUMERIC_SPELLING.matcher(host).matches()) {
      return Optional.empty();
    }
    return combine(host, Addresses::parsePart);
  }

  /**
   * The IPv4 address that Java's InetAddress (and so OkHttp, for hosts of digits and dots) reads
   * from {@code host}: one to four decimal parts, leading zeros ignored.
   */
  static Optional<byte[]> decimalV4(String host) {
    if (!DECIMAL_SPELLING.matcher(host).matches()) {
      return Optional.empty();
    }
    return combine(
        host,
        part -> {
          if (part.isEmpty() || part.length() > 10) {
            return Optional.empty();
          }
          return Optional.of(Long.parseLong(part));
        });
  }

  private interface PartParser {
    Optional<Long> parse(String part);
  }

  private static Optional<byte[]> combine(String host, PartParser parser) {
    String[] parts = host.split("\\.", -1);
    if (parts.length > 4) {
      return Optional.empty();
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Optional<Long> v = parser.parse(parts[i]);
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

  /**
   * An IPv6 literal (no brackets, no zone), parsed without any lookup; empty when {@code text} is
   * not one.
   */
  static Optional<InetAddress> ipv6(String text) {
    // InetAddress.getByName only parses, never resolves, text that starts with ':' or a hex digit
    // and contains ':'; anything else here is not an IPv6 literal.
    if (text.isEmpty()
        || !text.contains(":")
        || text.contains("%")
        || !(text.charAt(0) == ':' || Character.digit(text.charAt(0), 16) >= 0)) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  static InetAddress address(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** a.b.c.d, or IPv6 in its short form (RFC 5952): {@code fe80::1}, not fe80:0:0:0:0:0:0:1. */
  static String format(byte[] raw) {
    if (raw.length == 4) {
      return (raw[0] & 0xff)
          + "."
          + (raw[1] & 0xff)
          + "."
          + (raw[2] & 0xff)
          + "."
          + (raw[3] & 0xff);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((raw[2 * i] & 0xff) << 8) | (raw[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }
}
