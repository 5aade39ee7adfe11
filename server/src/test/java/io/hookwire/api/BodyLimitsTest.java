package io.hookwire.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookwire.core.Account;
import io.hookwire.security.ApiKeys;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each route reads at most what it can use: a body over its limit is refused before it is read or
 * parsed, and large bodies are parsed a few at a time per account, so one account sending them as
 * fast as it can does not take the server from the others.
 */
class BodyLimitsTest {
  private static TestServer server;
  private static String otherAccount;
  private static String otherKey;

  @BeforeAll
  static void start() {
    server = TestServer.start(StoreKind.SQLITE);
    otherKey = ApiKeys.generate();
    Account other =
        server.server.store().createAccount("Other", ApiKeys.hash(otherKey), Instant.now());
    otherAccount = other.id();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aBodyDeclaredLargerThanTheRouteTakesIsRefusedBeforeItIsSent() throws IOException {
    // Nothing of the body is sent: an answer proves the server did not wait to read it.
    for (String[] route :
        new String[][] {
          {"/v2/event", "10485760"}, {"/v2/webhook", "1048576"}, {"/v2/events", "16777217"}
        }) {
      try (Raw request = new Raw(server.accountId, server.apiKey)) {
        request.head("POST", route[0], "application/json", "Content-Length: " + route[1]);

        assertThat(request.status()).as(route[0]).isEqualTo(413);
        assertThat(request.body()).as(route[0]).contains("the request body is too large");
      }
    }
  }

  @Test
  void aChunkedBodyIsRefusedOnceItPassesTheLimit() throws IOException {
    long limit = 2L * server.config.maxEventBytes() + 16 * 1024;
    try (Raw request = new Raw(server.accountId, server.apiKey)) {
      request.head("POST", "/v2/event", "application/json", "Transfer-Encoding: chunked");
      request.chunk("{\"event\":\"newLead\",\"data\":{\"x\":\"");
      byte[] filler = "a".repeat(16 * 1024).getBytes(StandardCharsets.US_ASCII);
      for (long sent = 0; sent <= limit; sent += filler.length) {
        request.chunk(filler);
      }

      assertThat(request.status()).isEqualTo(413);
    }
    assertThat(server.api().get("/v2/me").status()).isEqualTo(200);
  }

  @Test
  void anAccountsLargeBodiesWaitForEachOtherButNotForAnotherAccounts() throws Exception {
    // A body of unknown length takes the account's whole budget: it has started and stalls.
    try (Raw stalled = new Raw(server.accountId, server.apiKey)) {
      stalled.head("POST", "/v2/events", "application/json", "Transfer-Encoding: chunked");
      stalled.chunk("[");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> gauge("hookwire_request_bodies_large") == 1);
      CompletableFuture<Integer> sameAccount = largeBatch(server.accountId, server.apiKey);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> gauge("hookwire_request_bodies_waiting") == 1);

      assertThat(largeBatch(otherAccount, otherKey).get()).isEqualTo(200);
      assertThat(gauge("hookwire_request_bodies_waiting")).isEqualTo(1);
      assertThat(sameAccount).isNotDone();

      stalled.chunk("{\"event\":\"newLead\"}]");
      stalled.endChunks();
      assertThat(stalled.status()).isEqualTo(200);
      assertThat(sameAccount.get()).isEqualTo(200);
      assertThat(gauge("hookwire_request_bodies_waiting")).isZero();
    }
  }

  @Test
  void anAccountsOrdinaryBatchesAreReadSideBySide() throws Exception {
    // Two batches of 300 KB, declared and started: within one account's budget at once.
    try (Raw first = new Raw(server.accountId, server.apiKey);
        Raw second = new Raw(server.accountId, server.apiKey)) {
      for (Raw r : List.of(first, second)) {
        r.head("POST", "/v2/events", "application/json", "Content-Length: " + 300 * 1024);
        r.out.write('[');
        r.out.flush();
      }

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> gauge("hookwire_request_bodies_large") == 2);
      assertThat(gauge("hookwire_request_bodies_waiting")).isZero();
    }
  }

  /** A gauge's value, as Prometheus reads it. */
  private static int gauge(String name) {
    String metrics = server.api().get("/metrics").text();
    Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.]+)$").matcher(metrics);
    assertThat(m.find()).as(metrics).isTrue();
    return (int) Double.parseDouble(m.group(1));
  }

  /** A batch of one event, padded past the size read without a permit. */
  private static CompletableFuture<Integer> largeBatch(String account, String key)
      throws IOException {
    byte[] body =
        ("[" + " ".repeat((int) Api.SMALL_BODY) + "{\"event\":\"newLead\"}]")
            .getBytes(StandardCharsets.UTF_8);
    Raw r = new Raw(account, key);
    r.head("POST", "/v2/events", "application/json", "Content-Length: " + body.length);
    r.out.write(body);
    r.out.flush();
    return CompletableFuture.supplyAsync(
        () -> {
          try (r) {
            return r.status();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        },
        Thread::startVirtualThread);
  }

  /** HTTP/1.1 over a socket, for what a client library will not send: lies, stalls, chunks. */
  private static final class Raw implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final String authorization;
    private BufferedReader in;

    Raw(String account, String key) throws IOException {
      URI base = URI.create(server.baseUrl());
      socket = new Socket(base.getHost(), base.getPort());
      socket.setSoTimeout(30_000);
      out = socket.getOutputStream();
      authorization =
          Base64.getEncoder()
              .encodeToString((account + ":" + key).getBytes(StandardCharsets.UTF_8));
    }

    void head(String method, String path, String type, String lengthHeader) throws IOException {
      out.write(
          (method
                  + " "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic "
                  + authorization
                  + "\r\nContent-Type: "
                  + type
                  + "\r\n"
                  + lengthHeader
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    void chunk(String text) throws IOException {
      chunk(text.getBytes(StandardCharsets.UTF_8));
    }

    void chunk(byte[] bytes) throws IOException {
      out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    void endChunks() throws IOException {
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    /** The answer's status code, from its status line. */
    int status() throws IOException {
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String line = in.readLine();
      return Integer.parseInt(line.split(" ")[1]);
    }

    /** What follows the status line: headers and as much of the body as has arrived. */
    String body() throws IOException {
      StringBuilder text = new StringBuilder();
      String line;
      while ((line = in.readLine()) != null && !line.startsWith("{")) {
        text.append(line).append('\n');
      }
      return text.append(line).toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
