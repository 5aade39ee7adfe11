package io.hookwire.security;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address range such as {@code 10.0.0.0/8} or {@code fc00::/7}. */
public record Cidr(byte[] network, int prefix) {

  public Cidr {
    network = network.clone();
    if (prefix < 0 || prefix > network.length * 8) {
      throw new IllegalArgumentException("prefix out of range");
    }
  }

  /**
   * @throws IllegalArgumentException when {@code text} is not {@code address/prefix} with a numeric
   *     address
   */
  public static Cidr parse(String text) {
    String[] parts = text.strip().split("/", -1);
    if (parts.length != 2 || !Addresses.isLiteral(parts[0])) {
      throw new IllegalArgumentException("not a CIDR range: " + text);
    }
    try {
      byte[] address = InetAddress.getByName(parts[0]).getAddress();
      return new Cidr(address, Integer.parseInt(parts[1]));
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR range: " + text, e);
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
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(network) * 31 + prefix;
  }
}
