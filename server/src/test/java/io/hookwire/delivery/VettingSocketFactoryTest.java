package io.hookwire.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hookwire.security.Cidr;
import io.hookwire.security.TargetPolicy;
import io.hookwire.testing.Tripwire;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The socket factory is the target policy's last line, below every URL and DNS check: whatever
 * address a host turns out to mean, a blocked one is never connected to. Real sockets, a tripwire
 * counting connections.
 */
class VettingSocketFactoryTest {

  @Test
  void aBlockedAddressIsRefusedBeforeAnyConnection() throws IOException {
    VettingSocketFactory factory = new VettingSocketFactory(TargetPolicy.strict());
    try (Tripwire loopback = new Tripwire("127.0.0.1");
        Socket socket = factory.createSocket()) {
      InetSocketAddress target =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), loopback.port());

      assertThatThrownBy(() -> socket.connect(target, 1_000))
          .isInstanceOf(VettingDns.BlockedTargetException.class)
          .hasMessage("127.0.0.1 is in 127.0.0.0/8 (loopback)");
      assertThatThrownBy(() -> factory.createSocket("127.0.0.1", loopback.port()))
          .isInstanceOf(VettingDns.BlockedTargetException.class);
      assertThatThrownBy(
              () -> factory.createSocket(InetAddress.getLoopbackAddress(), loopback.port()))
          .isInstanceOf(VettingDns.BlockedTargetException.class);
      assertThat(loopback.connections()).isZero();
    }
  }

  @Test
  void anAllowedAddressIsConnectedTo() throws IOException {
    TargetPolicy policy = TargetPolicy.allowing(List.of(Cidr.parse("127.0.0.1/32")));
    VettingSocketFactory factory = new VettingSocketFactory(policy);
    try (Tripwire loopback = new Tripwire("127.0.0.1");
        Socket socket = factory.createSocket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), loopback.port()));

      await().atMost(Duration.ofSeconds(10)).until(() -> loopback.connections() == 1);
    }
  }

  @Test
  void anUnresolvedAddressIsRefusedRatherThanResolvedBehindThePolicysBack() throws IOException {
    VettingSocketFactory factory = new VettingSocketFactory(TargetPolicy.permissive());
    try (Socket socket = factory.createSocket()) {
      assertThatThrownBy(
              () -> socket.connect(InetSocketAddress.createUnresolved("localhost", 9), 1_000))
          .isInstanceOf(VettingDns.BlockedTargetException.class);
    }
  }
}
