package io.hookwire.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.hookwire.testing.RecordingReceiver.Received;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An HTTPS webhook receiver with the {@link TestTls} certificate, on a real socket at the address
 * given (any of 127.0.0.0/8 works on Linux, so one test can have an allowed and a blocked loopback
 * address). Records every request and answers 200. It closes each connection after its response, so
 * every delivery makes a new connection and resolves its name again.
 */
public final class TlsReceiver implements AutoCloseable {
  private final HttpsServer server;
  private final String address;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  public TlsReceiver(String address) {
    this.address = address;
    try {
      server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setHttpsConfigurator(new HttpsConfigurator(TestTls.server().sslContext()));
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          Map<String, String> headers = new LinkedHashMap<>();
          exchange
              .getRequestHeaders()
              .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
          received.add(
              new Received(exchange.getRequestURI().getPath(), headers, body, Instant.now()));
          byte[] reply = "ok".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Connection", "close");
          exchange.sendResponseHeaders(200, reply.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply);
          }
        });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code https://ADDRESS:PORT/path}, the address bracketed when it is IPv6. */
  public String url(String path) {
    String host = address.contains(":") ? "[" + address + "]" : address;
    return "https://" + host + ":" + port() + path;
  }

  /** The same port under another host name, for tests that resolve names with a FakeDns. */
  public String url(String host, String path) {
    return "https://" + host + ":" + port() + path;
  }

  public List<Received> received() {
    return new ArrayList<>(received);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
