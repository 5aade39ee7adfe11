package io.hookwire.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on 127.0.0.1, on a real socket: records every request and answers as the test
 * scripts it (status codes in order, then a default; delays; redirects; requests held unanswered
 * until the test releases them).
 */
public final class RecordingReceiver implements AutoCloseable {

  /** One request as it arrived. Header names are lower case. */
  public record Received(String path, Map<String, String> headers, byte[] body, Instant at) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * An answer: a status, optionally after a delay and with a Location header, or held until the
   * test releases it; its body is "status N", or {@code bodyBytes} bytes, written at once or one
   * every {@code drip}.
   */
  public record Answer(
      int status, Duration delay, String location, boolean held, long bodyBytes, Duration drip) {
    public static Answer status(int status) {
      return new Answer(status, Duration.ZERO, null, false, -1, Duration.ZERO);
    }

    public static Answer after(Duration delay, int status) {
      return new Answer(status, delay, null, false, -1, Duration.ZERO);
    }

    public static Answer redirect(String location) {
      return new Answer(302, Duration.ZERO, location, false, -1, Duration.ZERO);
    }

    /**
     * Holds the request unanswered until the test calls {@link #release} (or closes the receiver),
     * then answers {@code status}: a receiver that hangs for exactly as long as the test needs.
     */
    public static Answer held(int status) {
      return new Answer(status, Duration.ZERO, null, true, -1, Duration.ZERO);
    }

    /** {@code status} with a body of {@code bytes} bytes, sent as fast as they are read. */
    public static Answer huge(int status, long bytes) {
      return new Answer(status, Duration.ZERO, null, false, bytes, Duration.ZERO);
    }

    /** {@code status} at once, then a body of {@code bytes} bytes, one every {@code every}. */
    public static Answer drip(int status, long bytes, Duration every) {
      return new Answer(status, Duration.ZERO, null, false, bytes, every);
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private volatile Answer defaultAnswer = Answer.status(200);
  private final CountDownLatch closing = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private final AtomicInteger holding = new AtomicInteger();

  public RecordingReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
          Answer answer = script.poll();
          if (answer == null) {
            answer = defaultAnswer;
          }
          if (answer.held()) {
            holding.incrementAndGet();
            try {
              // Unanswered until the test releases it; close() releases it too.
              released.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } finally {
              holding.decrementAndGet();
            }
          }
          if (!answer.delay().isZero()) {
            try {
              // Holds the response back like a slow receiver; the test's close() cuts it short.
              closing.await(answer.delay().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          if (answer.location() != null) {
            exchange.getResponseHeaders().add("Location", answer.location());
          }
          try {
            if (answer.bodyBytes() < 0) {
              byte[] reply = ("status " + answer.status()).getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(answer.status(), reply.length);
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
              }
            } else {
              exchange.sendResponseHeaders(answer.status(), answer.bodyBytes());
              writeBody(exchange.getResponseBody(), answer);
            }
          } catch (IOException e) {
            // The client gave up (a timeout under test, a body it stopped reading): done.
          }
        });
    server.start();
  }

  private void writeBody(OutputStream body, Answer answer) throws IOException {
    try (OutputStream out = body) {
      if (answer.drip().isZero()) {
        byte[] block = new byte[64 * 1024];
        Arrays.fill(block, (byte) 'x');
        for (long left = answer.bodyBytes(); left > 0; left -= block.length) {
          out.write(block, 0, (int) Math.min(block.length, left));
        }
        return;
      }
      for (long i = 0; i < answer.bodyBytes(); i++) {
        out.write('x');
        out.flush();
        try {
          if (closing.await(answer.drip().toMillis(), TimeUnit.MILLISECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** {@code http://127.0.0.1:PORT/path} */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Answers the next requests with these, in order; then the default again. */
  public RecordingReceiver enqueue(Answer... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  public RecordingReceiver answerByDefault(Answer answer) {
    this.defaultAnswer = answer;
    return this;
  }

  /** Answers every request held so far, and any held answer from now on at once. */
  public void release() {
    released.countDown();
  }

  /** Requests held unanswered right now (see {@link Answer#held}). */
  public int holding() {
    return holding.get();
  }

  public List<Received> received() {
    return new ArrayList<>(received);
  }

  public List<Received> receivedOn(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  @Override
  public void close() {
    released.countDown();
    closing.countDown();
    server.stop(0);
  }
}
