package io.hookwire.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {

  @ParameterizedTest(name = "{0} is blocked: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0.0.0.0         | 0.0.0.0/8",
        "0.1.2.3         | 0.0.0.0/8",
        "10.0.0.5        | 10.0.0.0/8 (private network)",
        "10.255.255.255  | 10.0.0.0/8",
        "100.64.0.1      | 100.64.0.0/10 (carrier-grade NAT)",
        "100.127.255.255 | 100.64.0.0/10",
        "127.0.0.1       | 127.0.0.0/8 (loopback)",
        "127.255.255.254 | 127.0.0.0/8",
        "169.254.169.254 | 169.254.0.0/16 (link-local, cloud metadata)",
        "172.16.0.1      | 172.16.0.0/12",
        "172.31.255.255  | 172.16.0.0/12",
        "192.0.0.8       | 192.0.0.0/24",
        "192.0.2.1       | 192.0.2.0/24 (documentation)",
        "192.88.99.1     | 192.88.99.0/24",
        "192.168.1.1     | 192.168.0.0/16",
        "198.18.0.1      | 198.18.0.0/15 (benchmarking)",
        "198.51.100.7    | 198.51.100.0/24",
        "203.0.113.9     | 203.0.113.0/24",
        "224.0.0.1       | 224.0.0.0/4 (multicast)",
        "239.255.255.250 | 224.0.0.0/4",
        "240.0.0.1       | 240.0.0.0/4 (reserved)",
        "255.255.255.255 | 255.255.255.255/32 (broadcast)",
        "::              | ::/128 (unspecified)",
        "::1             | ::1/128 (loopback)",
        "fe80::1         | fe80::/10 (link-local)",
        "FE80::ABCD      | fe80::/10",
        "febf::1         | fe80::/10",
        "fc00::1         | fc00::/7 (unique local)",
        "fd12:3456::1    | fc00::/7",
        "fec0::1         | fec0::/10",
        "ff02::1         | ff00::/8 (multicast)",
        "100::1          | 100::/64 (discard)",
        "2001::1         | 2001::/23",
        "2001:db8::1     | 2001:db8::/32 (documentation)",
        "3fff::1         | 3fff::/20",
        "::127.0.0.1     | 127.0.0.0/8 (loopback)",
        "::10.0.0.1      | 10.0.0.0/8",
        "::8.8.8.8       | ::/96 (IPv4-compatible, deprecated)",
        "64:ff9b::a00:1  | reaches 10.0.0.1, in 10.0.0.0/8",
        "64:ff9b::7f00:1 | reaches 127.0.0.1",
        "64:ff9b::a9fe:a9fe | reaches 169.254.169.254",
        "2002:7f00:1::1  | (6to4) reaches 127.0.0.1",
        "2002:c0a8:101:: | reaches 192.168.1.1",
        "64:ff9b:1::1    | outside 2000::/3 (global unicast)",
        "5f00::1         | outside 2000::/3",
        "4000::1         | outside 2000::/3",
      })
  void internalAndReservedAddressesAreBlockedWithTheirRangeNamed(String address, String reason)
      throws UnknownHostException {
    assertThat(Addresses.whyBlocked(InetAddress.getByName(address)))
        .get()
        .asString()
        .contains(reason);
  }

  @Test
  void ipv4MappedAddressesAreJudgedByTheAddressTheyCarry() throws UnknownHostException {
    // Built from raw bytes as a resolver may hand them over: Java keeps them IPv6.
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
    InetAddress address = java.net.Inet6Address.getByAddress(null, mapped, -1);
    assertThat(Addresses.whyBlocked(address)).get().asString().contains("127.0.0.0/8");

    byte[] mappedPublic = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 8, 8, 8, 8};
    assertThat(Addresses.whyBlocked(java.net.Inet6Address.getByAddress(null, mappedPublic, -1)))
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8.8.8.8",
        "1.1.1.1",
        "100.63.255.255",
        "100.128.0.0",
        "172.15.255.255",
        "172.32.0.0",
        "169.253.255.255",
        "192.167.255.255",
        "223.255.255.255",
        "11.0.0.1",
        "2606:4700:4700::1111",
        "2a00:1450:4001::1",
        "64:ff9b::808:808",
        "2002:808:808::1",
      })
  void globallyReachableAddressesAreAllowed(String address) throws UnknownHostException {
    assertThat(Addresses.whyBlocked(InetAddress.getByName(address))).isEmpty();
  }

  @ParameterizedTest(name = "{0} reads as {1}")
  @CsvSource({
    "127.0.0.1, 127.0.0.1",
    "2130706433, 127.0.0.1",
    "0x7f000001, 127.0.0.1",
    "0X7F000001, 127.0.0.1",
    "017700000001, 127.0.0.1",
    "0177.0.0.1, 127.0.0.1",
    "0x7f.1, 127.0.0.1",
    "127.1, 127.0.0.1",
    "127.0.1, 127.0.0.1",
    "10.1.256, 10.1.1.0",
    "0, 0.0.0.0",
    "0xa9.0xfe.0xa9.0xfe, 169.254.169.254",
    "4294967295, 255.255.255.255",
  })
  void numericSpellingsReadAsInetAtonReadsThem(String host, String address) {
    assertThat(Addresses.numericV4(host).map(Addresses::format)).hasValue(address);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "example.com",
        "deadbeef",
        "1e100",
        "",
        ".",
        "1..1",
        "1.2.3.4.5",
        "256.0.0.1",
        "4294967296",
        "0x",
        "0x1.0x",
        "08",
        "127.0.0.1.",
        "0x100000000",
      })
  void textThatInetAtonRefusesIsNoNumericSpelling(String host) {
    assertThat(Addresses.numericV4(host)).isEmpty();
  }

  @Test
  void javaAndInetAtonDisagreeOnLeadingZerosAndBothReadingsAreKept() {
    assertThat(Addresses.numericReadings("0127.0.0.1").stream().map(Addresses::format))
        .containsExactly("87.0.0.1", "127.0.0.1");
    assertThat(Addresses.numericReadings("08").stream().map(Addresses::format))
        .containsExactly("0.0.0.8");
    assertThat(Addresses.numericReadings("127.0.0.1").stream().map(Addresses::format))
        .containsExactly("127.0.0.1");
    assertThat(Addresses.numericReadings("example.com")).isEmpty();
  }

  @ParameterizedTest(name = "{0} is written {1}")
  @CsvSource({
    "fe80:0:0:0:0:0:0:1, fe80::1",
    "0:0:0:0:0:0:0:1, ::1",
    "0:0:0:0:0:0:0:0, ::",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:db8:1:1:1:1:1:1, 2001:db8:1:1:1:1:1:1",
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
    "64:ff9b:0:0:0:0:a00:1, 64:ff9b::a00:1",
    "10.0.0.1, 10.0.0.1",
  })
  void addressesAreWrittenInTheirShortForm(String address, String written)
      throws UnknownHostException {
    assertThat(Addresses.format(InetAddress.getByName(address).getAddress())).isEqualTo(written);
  }
}
