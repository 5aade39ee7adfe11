package io.hookwire.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listening socket that counts every TCP connection made to it and drops it. Bound where a
 * delivery must never go, it proves that a blocked target was not even connected to, which a
 * receiver counting HTTP requests could not.
 */
public final class Tripwire implements AutoCloseable {
  private final ServerSocket socket;
  private final AtomicInteger connections = new AtomicInteger();

  public Tripwire(String address) {
    this(address, 0);
  }

  /**
   * On a given port: beside a receiver on another loopback address with the same port, so one URL's
   * name can lead to either.
   */
  public Tripwire(String address, int port) {
    try {
      socket = new ServerSocket();
      socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread.ofVirtual()
        .start(
            () -> {
              while (!socket.isClosed()) {
                try (Socket accepted = socket.accept()) {
                  connections.incrementAndGet();
                } catch (IOException e) {
                  // closed
                }
              }
            });
  }

  public int port() {
    return socket.getLocalPort();
  }

  public int connections() {
    return connections.get();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
