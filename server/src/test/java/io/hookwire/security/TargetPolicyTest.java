package io.hookwire.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetPolicyTest {
  private final TargetPolicy strict = TargetPolicy.strict();

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "https://127.0.0.1/hook             | 127.0.0.1 is in 127.0.0.0/8 (loopback)",
        "https://127.0.0.1:8443/hook        | 127.0.0.0/8",
        "https://127.0.0.1./hook            | 127.0.0.0/8",
        "https://127.1/                     | 127.1 means 127.0.0.1",
        "https://2130706433/                | 2130706433 means 127.0.0.1",
        "https://0x7f000001/                | means 127.0.0.1",
        "https://0X7F000001/                | means 127.0.0.1",
        "https://017700000001/              | 017700000001 means 127.0.0.1",
        "https://0177.0.0.1/                | means 127.0.0.1",
        "https://0x7f.1/                    | means 127.0.0.1",
        "https://0127.0.0.1/                | 0127.0.0.1 means 127.0.0.1",
        "https://010.0.0.1/                 | 010.0.0.1 means 10.0.0.1",
        "https://011.8.8.8/                 | is ambiguous",
        "https://08/                        | 08 means 0.0.0.8",
        "https://%31%32%37.0.0.1/           | 127.0.0.0/8",
        "https://localhost/                 | localhost is loopback",
        "https://LOCALHOST:9000/            | localhost is loopback",
        "https://localhost./                | is loopback",
        "https://api.localhost/             | api.localhost is loopback",
        "https://10.0.0.5/                  | 10.0.0.0/8 (private network)",
        "https://172.16.0.1/                | 172.16.0.0/12",
        "https://172.31.255.254/            | 172.16.0.0/12",
        "https://192.168.1.1/               | 192.168.0.0/16",
        "https://169.254.169.254/latest     | 169.254.0.0/16",
        "https://100.64.0.1/                | 100.64.0.0/10",
        "https://0.0.0.0/                   | 0.0.0.0/8",
        "https://0/                         | 0.0.0.0/8",
        "https://224.0.0.1/                 | 224.0.0.0/4 (multicast)",
        "https://255.255.255.255/           | (broadcast)",
        "https://240.0.0.1/                 | 240.0.0.0/4 (reserved)",
        "https://[::1]/                     | ::1 is in ::1/128 (loopback)",
        "https://[::]/                      | ::/128",
        "https://[fe80::1]/                 | fe80::/10 (link-local)",
        "https://[FE80::1]/                 | fe80::/10",
        "https://[fc00::1]/                 | fc00::/7 (unique local)",
        "https://[fd00::2]/                 | fc00::/7",
        "https://[::ffff:127.0.0.1]/        | 127.0.0.0/8",
        "https://[::ffff:7f00:1]/           | 127.0.0.0/8",
        "https://[::FFFF:7F00:1]/           | 127.0.0.0/8",
        "https://[0:0:0:0:0:ffff:7f00:1]/   | 127.0.0.0/8",
        "https://[::ffff:169.254.169.254]/  | 169.254.0.0/16",
        "https://[::127.0.0.1]/             | (IPv4-compatible) reaches 127.0.0.1",
        "https://[64:ff9b::a00:1]/          | (NAT64) reaches 10.0.0.1",
        "https://[2002:7f00:1::]/           | (6to4) reaches 127.0.0.1",
        "https://[2002:a9fe:a9fe::1]/       | reaches 169.254.169.254",
        "https://1.2.3.4.5/                 | not a valid IPv4 address",
        "https://256.0.0.1/                 | not a valid IPv4 address",
      })
  void blockedAddressesAreRefusedAtCreationWithTheReason(String url, String reason) {
    assertThat(strict.whyUrlRejected(url))
        .get()
        .asString()
        .startsWith("Url points to a blocked address: ")
        .contains(reason);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "http://example.com/hook              | Url must use https://",
        "http://2130706433/                   | Url must use https://",
        "ftp://example.com/                   | Url must be an absolute https:// URL",
        "javascript:alert(1)                  | Url must be an absolute https:// URL",
        "file:///etc/passwd                   | Url must be an absolute https:// URL",
        "/relative/path                       | Url must be an absolute https:// URL",
        "example.com                          | Url must be an absolute https:// URL",
        "https:///path                        | Url must name a host",
        "https://user:secret@example.com/     | Url must not contain credentials",
        "https://user@example.com/            | Url must not contain credentials",
        "https://user@127.1/                  | Url must not contain credentials",
        "https://example.com/#frag            | Url must not contain a fragment",
        "https://exa mple.com/                | Url must not contain spaces, control or invisible characters",
        "https://example.com/a\u2028b         | Url must not contain spaces, control or invisible characters",
        "https://example.com/\u202egnp.exe    | Url must not contain spaces, control or invisible characters",
        "https://example.com/a\u0000b         | Url must not contain spaces, control or invisible characters",
        "https://example.com\\@127.0.0.1/      | Url is not a valid URL",
        "https://[fe80::1%25eth0]/            | Url must not contain an IPv6 zone id",
        "https://[fe80::1%eth0]/              | Url must not contain an IPv6 zone id",
        "https://[::ffff:127.0.0.1%251]/      | Url must not contain an IPv6 zone id",
        "https://[::1%251]/                   | Url must not contain an IPv6 zone id",
        "https://[::1/                        | Url is not a valid URL",
      })
  void malformedOrUnsafeUrlsAreRefusedWithTheReason(String url, String reason) {
    assertThat(strict.whyUrlRejected(url)).hasValue(reason);
  }

  @Test
  void emptyAndOverlongUrlsAreRefused() {
    assertThat(strict.whyUrlRejected(null)).hasValue("Url is required");
    assertThat(strict.whyUrlRejected(" ")).hasValue("Url is required");
    String longUrl = "https://example.com/" + "a".repeat(TargetPolicy.MAX_URL_LENGTH);
    assertThat(strict.whyUrlRejected(longUrl))
        .hasValue("Url must be at most " + TargetPolicy.MAX_URL_LENGTH + " characters");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://example.com/hook",
        "https://EXAMPLE.com:8443/hook?x=1&y=2",
        "https://example.com./hook",
        "https://hooks.example.co.uk/a/b/c",
        "https://bücher.example/",
        "https://8.8.8.8/hook",
        "https://134744072/",
        "https://[2606:4700:4700::1111]/hook",
        "https://[64:ff9b::808:808]/",
        "https://[::ffff:8.8.8.8]/",
        "https://localhost.example.com/",
        "https://127.0.0.1.nip.io/",
      })
  void publicTargetsAreAccepted(String url) {
    assertThat(strict.whyUrlRejected(url)).isEmpty();
  }

  @Test
  void permissivePolicyAcceptsHttpAndInternalAddresses() {
    TargetPolicy permissive = TargetPolicy.permissive();
    assertThat(permissive.whyUrlRejected("http://127.0.0.1:8080/hook")).isEmpty();
    assertThat(permissive.whyUrlRejected("http://localhost/hook")).isEmpty();
    assertThat(permissive.whyUrlRejected("https://10.0.0.5/")).isEmpty();
    assertThat(permissive.whyBlocked(address("169.254.169.254"))).isEmpty();
    // Only the scheme and shape are still checked.
    assertThat(permissive.whyUrlRejected("ftp://127.0.0.1/")).isPresent();
    assertThat(permissive.whyUrlRejected("http://user:pw@127.0.0.1/")).isPresent();
  }

  @Test
  void allowedRangesOpenOnlyThemselvesAndKeepHttpsRequired() {
    TargetPolicy policy = TargetPolicy.allowing(List.of(Cidr.parse("127.0.0.1/32")));
    assertThat(policy.whyUrlRejected("https://127.0.0.1:8443/hook")).isEmpty();
    assertThat(policy.whyUrlRejected("http://127.0.0.1:8443/hook"))
        .hasValue("Url must use https://");
    assertThat(policy.whyUrlRejected("https://127.0.0.2/hook"))
        .get()
        .asString()
        .contains("127.0.0.0/8");
    assertThat(policy.whyUrlRejected("https://10.0.0.1/hook"))
        .get()
        .asString()
        .contains("10.0.0.0/8");
    assertThat(policy.whyBlocked(address("127.0.0.1"))).isEmpty();
    assertThat(policy.whyBlocked(address("127.0.0.2"))).isPresent();
    assertThat(policy.whyBlocked(address("::1"))).isPresent();
    // Ambiguous spellings stay refused even where one reading is allowed.
    assertThat(policy.whyUrlRejected("https://0127.0.0.1/")).get().asString().contains("ambiguous");
  }

  @Test
  void localhostIsAcceptedOnlyWhenLoopbackIsAllowed() {
    TargetPolicy loopback = TargetPolicy.allowing(List.of(Cidr.parse("127.0.0.0/8")));
    assertThat(loopback.whyUrlRejected("https://localhost:8443/")).isEmpty();
    TargetPolicy other = TargetPolicy.allowing(List.of(Cidr.parse("10.1.0.0/16")));
    assertThat(other.whyUrlRejected("https://localhost:8443/"))
        .hasValue("Url points to a blocked address: localhost is loopback");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"127.0.0.1.", "0127.0.0.1", "08", "2130706433", "::1", "[::1]", "localhost"})
  void hostsAsOkHttpGivesThemAreJudgedAtDeliveryToo(String host) {
    assertThat(strict.whyHostBlocked(host)).isPresent();
    assertThat(TargetPolicy.permissive().whyHostBlocked(host)).isEmpty();
  }

  @Test
  void namesAreLeftToTheResolverAtDeliveryTime() {
    assertThat(strict.whyHostBlocked("internal.example")).isEmpty();
    assertThat(strict.whyHostBlocked("10.0.0.5.nip.io")).isEmpty();
  }

  @Test
  void eachModeDescribesItselfForTheStartUpLog() {
    assertThat(TargetPolicy.strict().describe())
        .isEqualTo("https:// to globally reachable addresses only");
    assertThat(TargetPolicy.permissive().describe())
        .isEqualTo(
            "any target allowed, http:// included (--allow-private-targets: for development"
                + " only)");
    assertThat(
            TargetPolicy.allowing(List.of(Cidr.parse("10.1.0.0/16"), Cidr.parse("fd00::/8")))
                .describe())
        .isEqualTo(
            "https:// to globally reachable addresses and to 10.1.0.0/16, fd00::/8"
                + " (--allow-targets)");
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
