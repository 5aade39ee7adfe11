package io.hookwire.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "10.0.0.0/8, 10.0.0.0, true",
    "10.0.0.0/8, 10.255.255.255, true",
    "10.0.0.0/8, 11.0.0.0, false",
    "10.0.0.0/8, 9.255.255.255, false",
    "172.16.0.0/12, 172.31.0.1, true",
    "172.16.0.0/12, 172.32.0.1, false",
    "127.0.0.1/32, 127.0.0.1, true",
    "127.0.0.1/32, 127.0.0.2, false",
    "0.0.0.0/0, 8.8.8.8, true",
    "fc00::/7, fdff::1, true",
    "fc00::/7, fe00::1, false",
    "::/0, 2001:db8::1, true",
    "10.0.0.0/8, ::ffff:a00:1, true",
    "fc00::/7, 10.0.0.1, false",
  })
  void rangesContainTheAddressesUnderTheirPrefix(String range, String address, boolean contained)
      throws UnknownHostException {
    assertThat(Cidr.parse(range).contains(InetAddress.getByName(address).getAddress()))
        .isEqualTo(contained);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "10.1.2.3/8, 10.0.0.0/8",
    " 192.168.0.0/16 , 192.168.0.0/16",
    "2001:DB8::5/32, 2001:db8::/32",
    "127.0.0.1/32, 127.0.0.1/32",
    "::/0, ::/0",
  })
  void rangesAreWrittenWithoutHostBits(String text, String written) {
    assertThat(Cidr.parse(text)).hasToString(written);
    assertThat(Cidr.parse(text)).isEqualTo(Cidr.parse(written));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "10.0.0.0",
        "10.0.0.0/",
        "10.0.0.0/33",
        "::/129",
        "10.0.0.0/-1",
        "10.0.0.0/+8",
        "10.0.0.0/8/8",
        "10.1/16",
        "010.0.0.0/8",
        "0x0a000000/8",
        "256.0.0.0/8",
        "example.com/8",
        "fe80::1%1/64",
        "localhost/8",
      })
  void anythingButAnAddressAndAPrefixIsRefused(String text) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a CIDR range");
  }
}
