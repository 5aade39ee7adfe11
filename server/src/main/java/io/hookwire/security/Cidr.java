package io.hookwire.security;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/** An address range such as {@code 10.0.0.0/8} or {@code fc00::/7}. */
public record Cidr(byte[] network, int prefix) {

  public Cidr {
    if (network.length != 4 && network.length != 16) {
      throw new IllegalArgumentException("an address has 4 or 16 bytes");
    }
    if (prefix < 0 || prefix > network.length * 8) {
      throw new IllegalArgumentException("prefix out of range");
    }
    // The bits past the prefix say nothing; 10.1.2.3/8 is 10.0.0.0/8.
    network = network.clone();
    for (int bit = prefix; bit < network.length * 8; bit++) {
      network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
  }

  /**
   * @param text {@code a.b.c.d/n} or an IPv6 literal and {@code /n}, as {@code --allow-targets}
   *     takes them
   * @throws IllegalArgumentException when {@code text} is not such a range
   */
  public static Cidr parse(String text) {
    String[] parts = text.strip().split("/", -1);
    if (parts.length != 2 || !parts[1].matches("[0-9]{1,3}")) {
      throw new IllegalArgumentException("not a CIDR range such as 10.1.0.0/16: " + text);
    }
    Optional<InetAddress> address =
        Addresses.isDottedQuad(parts[0])
            ? Optional.of(Addresses.address(Addresses.numericV4(parts[0]).orElseThrow()))
            : Addresses.ipv6(parts[0]);
    if (address.isEmpty()) {
      throw new IllegalArgumentException("not a CIDR range such as 10.1.0.0/16: " + text);
    }
    try {
      return new Cidr(address.get().getAddress(), Integer.parseInt(parts[1]));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a CIDR range (" + e.getMessage() + "): " + text, e);
    }
  }

  public boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (address[full] & mask) == (network[full] & mask);
  }

  @Override
  public byte[] network() {
    return network.clone();
  }

  @Override
  public String toString() {
    return Addresses.format(network) + "/" + prefix;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefix;
  }
}
