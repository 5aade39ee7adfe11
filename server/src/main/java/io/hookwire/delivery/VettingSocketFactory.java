package io.hookwire.delivery;

import io.hookwire.security.TargetPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Optional;
import javax.net.SocketFactory;

/**
 * The last line of the target policy: every socket a delivery opens checks the address it is about
 * to connect to. {@link VettingDns} vets names, but OkHttp resolves hosts that look like IP
 * addresses by itself, past the Dns hook, and Java reads some spellings ({@code 0127.0.0.1} as
 * 127.0.0.1) unlike any URL parser; whatever a host turns out to mean, no connection reaches a
 * blocked address.
 */
final class VettingSocketFactory extends SocketFactory {
  private final TargetPolicy policy;

  VettingSocketFactory(TargetPolicy policy) {
    this.policy = policy;
  }

  @Override
  public Socket createSocket() {
    return new VettedSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    Socket socket = new VettedSocket();
    socket.bind(new InetSocketAddress(localHost, localPort));
    socket.connect(new InetSocketAddress(host, port));
    return socket;
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress host, int port, InetAddress localHost, int localPort)
      throws IOException {
    Socket socket = new VettedSocket();
    socket.bind(new InetSocketAddress(localHost, localPort));
    socket.connect(new InetSocketAddress(host, port));
    return socket;
  }

  private Socket connected(SocketAddress address) throws IOException {
    Socket socket = new VettedSocket();
    socket.connect(address);
    return socket;
  }

  private final class VettedSocket extends Socket {
    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      if (endpoint instanceof InetSocketAddress target) {
        if (target.isUnresolved()) {
          throw new VettingDns.BlockedTargetException(
              target.getHostString() + " was not resolved through the target policy");
        }
        Optional<String> why = policy.whyBlocked(target.getAddress());
        if (why.isPresent()) {
          close();
          throw new VettingDns.BlockedTargetException(why.get());
        }
      }
      super.connect(endpoint, timeout);
    }
  }
}
