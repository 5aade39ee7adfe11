package io.hookwire.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.core.EventType;
import io.hookwire.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import okhttp3.ConnectionPool;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The producer side of the benchmark: talks to the server's REST API over HTTP as any producer
 * would, with keep-alive connections, and writes events whose data carries the publish stamp the
 * sink reads.
 */
final class Publisher implements AutoCloseable {
  private static final MediaType JSON = MediaType.get("application/json");

  /**
   * Idle connections kept for reuse: an open-loop phase that fell behind may have hundreds in
   * flight, and closing them only to open them again a moment later would add connects to what is
   * measured. 1,024 connections, well inside the process's file limit.
   */
  private static final int MAX_IDLE_CONNECTIONS = 1_024;

  private static final int KEEP_ALIVE_MINUTES = 5;

  /**
   * Clients for single publishes, each with its own pool. OkHttp looks for an idle connection by
   * scanning its pool, so an open-loop phase with thousands of connections in one pool spent more
   * time there than in the request; 16 pools divide the scan by 16.
   */
  private static final int PACED_CLIENTS = 16;

  private final OkHttpClient client;
  private final List<OkHttpClient> paced;
  private final String baseUrl;
  private final String authorization;
  private final String padding;

  /**
   * @param dataBytes roughly how large each event's data is, as stored and delivered
   */
  Publisher(String baseUrl, String accountId, String apiKey, int dataBytes) {
    this.baseUrl = baseUrl;
    this.authorization = Credentials.basic(accountId, apiKey);
    // What the other fields take: {"email":"lead-1234567@example.com","seq":1234567,
    // "publishedNanos":123456789012,"note":""} is about 90 bytes.
    this.padding = "x".repeat(Math.max(0, dataBytes - 90));
    // Calls are synchronous, each on its own virtual thread, so OkHttp's dispatcher and its limits
    // (64 requests, 5 per host) never apply: they bound only asynchronous calls. The pool opens a
    // connection whenever none is idle, without limit; it only closes idle ones beyond its size.
    this.client =
        new OkHttpClient.Builder()
            // A batch of 1,000 on a busy machine may take seconds; failing it would skew the run.
            .callTimeout(Duration.ofMinutes(2))
            .connectTimeout(Duration.ofMinutes(2))
            .readTimeout(Duration.ofMinutes(2))
            .connectionPool(
                new ConnectionPool(MAX_IDLE_CONNECTIONS, KEEP_ALIVE_MINUTES, TimeUnit.MINUTES))
            .build();
    // No timeouts on single publishes: okio keeps every pending timeout in one queue for the whole
    // process, so thousands of publishes waiting with a timeout would make the producer's own
    // bookkeeping a cost of the run (a third of the samples at 3,000/s, when it shared the
    // server's JVM). A phase that never gets its answers ends at the test's own time limit.
    this.paced =
        IntStream.range(0, PACED_CLIENTS)
            .mapToObj(
                i ->
                    client
                        .newBuilder()
                        .callTimeout(Duration.ZERO)
                        .readTimeout(Duration.ZERO)
                        .writeTimeout(Duration.ZERO)
                        .connectionPool(
                            new ConnectionPool(
                                MAX_IDLE_CONNECTIONS / PACED_CLIENTS,
                                KEEP_ALIVE_MINUTES,
                                TimeUnit.MINUTES))
                        .build())
            .toList();
  }

  /** Creates a webhook on the server's retry schedule and returns its id. */
  String createWebhook(String name, EventType event, String url, boolean enabled) {
    return createWebhook(name, event, url, enabled, "");
  }

  /**
   * Creates a webhook and returns its id.
   *
   * @param retrySchedule its own retry delays, such as {@code 8s}; empty for the server's
   */
  String createWebhook(
      String name, EventType event, String url, boolean enabled, String retrySchedule) {
    FormBody.Builder form =
        new FormBody.Builder()
            .add("name", name)
            .add("event", event.name())
            .add("url", url)
            .add("isEnabled", enabled ? "1" : "0");
    if (!retrySchedule.isEmpty()) {
      form.add("retrySchedule", retrySchedule);
    }
    JsonNode created = call(new Request.Builder().url(baseUrl + "/v2/webhook").post(form.build()));
    return created.at("/Webhook/Id").asText();
  }

  void setEnabled(String webhookId, boolean enabled) {
    call(
        new Request.Builder()
            .url(baseUrl + "/v2/webhook/" + webhookId)
            .post(new FormBody.Builder().add("isEnabled", enabled ? "1" : "0").build()));
  }

  /**
   * Publishes {@code count} events of one type in one {@code POST /v2/events}.
   *
   * @param stampNanos the publish stamp every event of the batch carries
   */
  void publishBatch(EventType event, int count, long firstSeq, long stampNanos) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(count * (padding.length() + 140));
    try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
      json.writeStartArray();
      for (int i = 0; i < count; i++) {
        json.writeStartObject();
        json.writeStringField("event", event.name());
        json.writeFieldName("data");
        writeData(json, firstSeq + i, stampNanos);
        json.writeEndObject();
      }
      json.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode answer =
        call(
            new Request.Builder()
                .url(baseUrl + "/v2/events")
                .post(RequestBody.create(out.toByteArray(), JSON)));
    if (answer.path("Total").asInt() != count) {
      throw new IllegalStateException("the server took fewer events than sent: " + answer);
    }
  }

  /** The server's answer to a publish: 200 when it took the event. */
  record Answer(int code, String body) {
    boolean accepted() {
      return code == 200;
    }
  }

  /**
   * Publishes one event with {@code POST /v2/event}, as a producer does when things happen, and
   * returns the answer, refusals (429, 503, ...) included: they are a finding of the run.
   *
   * @throws UncheckedIOException when there was no answer at all
   */
  Answer publishOne(EventType event, long seq, long stampNanos) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(padding.length() + 140);
    try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("event", event.name());
      json.writeFieldName("data");
      writeData(json, seq, stampNanos);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Request request =
        new Request.Builder()
            .url(baseUrl + "/v2/event")
            .header("Authorization", authorization)
            .post(RequestBody.create(out.toByteArray(), JSON))
            .build();
    OkHttpClient shard = paced.get((int) Math.floorMod(seq, (long) PACED_CLIENTS));
    try (Response response = shard.newCall(request).execute()) {
      return new Answer(response.code(), response.body().string());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The data of an event like the benchmark's, for sizing requests outside the server. */
  String sampleData(long seq, long stampNanos) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
      writeData(json, seq, stampNanos);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  private void writeData(JsonGenerator json, long seq, long stampNanos) throws IOException {
    json.writeStartObject();
    json.writeStringField("email", "lead-" + seq + "@example.com");
    json.writeNumberField("seq", seq);
    json.writeNumberField(Sink.STAMP_FIELD, stampNanos);
    json.writeStringField("note", padding);
    json.writeEndObject();
  }

  /** {@code POST path} with a JSON body, as this publisher's account; the answer's status. */
  int post(String path, byte[] body) {
    Request request =
        new Request.Builder()
            .url(baseUrl + path)
            .header("Authorization", authorization)
            .post(RequestBody.create(body, JSON))
            .build();
    try (Response response = client.newCall(request).execute()) {
      response.body().bytes();
      return response.code();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code GET /v2/me}, on one of the single-publish clients; the answer's status. */
  int me(long seq) {
    Request request =
        new Request.Builder()
            .url(baseUrl + "/v2/me")
            .header("Authorization", authorization)
            .build();
    try (Response response =
        paced.get((int) Math.floorMod(seq, (long) PACED_CLIENTS)).newCall(request).execute()) {
      response.body().bytes();
      return response.code();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The server's metrics, in Prometheus' text format. */
  String metrics() {
    try (Response response =
        client.newCall(new Request.Builder().url(baseUrl + "/metrics").build()).execute()) {
      if (response.code() != 200) {
        throw new IllegalStateException("GET /metrics answered " + response.code());
      }
      return response.body().string();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode call(Request.Builder request) {
    try (Response response =
        client.newCall(request.header("Authorization", authorization).build()).execute()) {
      byte[] body = response.body().bytes();
      if (response.code() != 200) {
        throw new IllegalStateException(
            response.request().method()
                + " "
                + response.request().url().encodedPath()
                + " answered "
                + response.code()
                + ": "
                + new String(body, java.nio.charset.StandardCharsets.UTF_8));
      }
      return Json.parse(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
    paced.forEach(c -> c.connectionPool().evictAll());
  }
}
