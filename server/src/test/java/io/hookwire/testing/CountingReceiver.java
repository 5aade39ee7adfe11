package io.hookwire.testing;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A webhook receiver on 127.0.0.1 that counts what a sender holds open to it: connections and
 * requests in progress, now and the most ever at once. It can hold every request until the test
 * lets them go, so a sender's bound is reached and can be seen. Jetty's, for its connection events
 * (the JDK's server has none); answers 200.
 */
public final class CountingReceiver implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger mostConnections = new AtomicInteger();
  private final AtomicInteger inProgress = new AtomicInteger();
  private final AtomicInteger mostInProgress = new AtomicInteger();
  private final Set<String> payloadIds = ConcurrentHashMap.newKeySet();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile CountDownLatch gate = new CountDownLatch(0);

  public CountingReceiver() {
    // Threads for far more requests than any bound under test, so a broken bound shows as such
    // rather than as a receiver out of threads.
    QueuedThreadPool threads = new QueuedThreadPool(512, 8);
    threads.setName("counting-receiver");
    threads.setDaemon(true);
    server = new Server(threads);
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.addEventListener(
        new Connection.Listener() {
          @Override
          public void onOpened(Connection connection) {
            mostConnections.accumulateAndGet(connections.incrementAndGet(), Math::max);
          }

          @Override
          public void onClosed(Connection connection) {
            connections.decrementAndGet();
          }
        });
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            mostInProgress.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
            try {
              Content.Source.consumeAll(request);
              String ids = request.getHeaders().get("X-Oktopost-Payload");
              if (ids != null) {
                payloadIds.addAll(Arrays.asList(ids.split(",")));
              }
              requests.incrementAndGet();
              gate.await(60, TimeUnit.SECONDS);
            } finally {
              // Counted out before the answer leaves: the sender cannot start its next request
              // before this one is no longer counted.
              inProgress.decrementAndGet();
            }
            response.setStatus(200);
            Content.Sink.write(response, true, "ok", callback);
            return true;
          }
        });
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the receiver", e);
    }
  }

  /** {@code http://127.0.0.1:PORT/path} */
  public String url(String path) {
    return "http://127.0.0.1:" + connector.getLocalPort() + path;
  }

  /** Holds every request from now on until {@link #release()}. */
  public CountingReceiver hold() {
    gate = new CountDownLatch(1);
    return this;
  }

  /** Answers the held requests and every later one at once. */
  public CountingReceiver release() {
    gate.countDown();
    return this;
  }

  public int requestsInProgress() {
    return inProgress.get();
  }

  public int mostRequestsAtOnce() {
    return mostInProgress.get();
  }

  public int mostConnectionsAtOnce() {
    return mostConnections.get();
  }

  /** Requests that arrived, held ones included. */
  public int requests() {
    return requests.get();
  }

  /** The distinct payload ids of every request ({@code X-Oktopost-Payload}). */
  public Set<String> payloadIds() {
    return Set.copyOf(payloadIds);
  }

  @Override
  public void close() {
    release();
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the receiver", e);
    }
  }
}
