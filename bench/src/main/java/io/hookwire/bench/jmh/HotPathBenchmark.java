package io.hookwire.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwire.core.CanonicalJson;
import io.hookwire.core.Envelope;
import io.hookwire.core.EventType;
import io.hookwire.core.Json;
import io.hookwire.signing.Signer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pure functions every delivery or publish runs: what each costs alone, so a profile of the
 * whole server can be read against them. Event data as {@code hookwire bench} publishes it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmark {
  /** Bytes of event data: the benchmark's default, and a larger CRM-sized record. */
  @Param({"256", "2048"})
  int dataBytes;

  private static final String SECRET =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  private static final String WEBHOOK_ID = "0WA4bX9kQ2mN7pZ";
  private static final String PAYLOAD_ID = "0WB8cY3jR5nL1qW";

  private JsonNode data;
  private String canonicalData;
  private String envelope;
  private byte[] body;
  private Instant created;

  @Setup
  public void setUp() {
    String note = "x".repeat(Math.max(0, dataBytes - 90));
    String json =
        "{\"email\":\"lead-1234567@example.com\",\"seq\":1234567,"
            + "\"publishedNanos\":123456789012,\"note\":\""
            + note
            + "\"}";
    data = Json.parse(json.getBytes(StandardCharsets.UTF_8));
    canonicalData = CanonicalJson.write(data);
    created = Instant.parse("2026-11-25T10:00:00Z");
    envelope = Envelope.of(EventType.newLead, created, WEBHOOK_ID, canonicalData);
    body = envelope.getBytes(StandardCharsets.UTF_8);
  }

  /** At publish: the event's data into the stored canonical form. */
  @Benchmark
  public String canonicalJsonWrite() {
    return CanonicalJson.write(data);
  }

  /** At delivery: the stored data into the reference's envelope. */
  @Benchmark
  public String envelopeOf() {
    return Envelope.of(EventType.newLead, created, WEBHOOK_ID, canonicalData);
  }

  /** At delivery: the envelope as the request body. */
  @Benchmark
  public byte[] envelopeBody() {
    return Envelope.body(List.of(envelope), false);
  }

  /** At delivery: the three signature schemes over the body (HMAC-SHA1 and two HMAC-SHA256). */
  @Benchmark
  public Map<String, String> signerHeaders() {
    return Signer.headers(List.of(SECRET), PAYLOAD_ID, 1_764_064_800L, body);
  }

  /** Everything a delivery computes before it goes on the wire, together. */
  @Benchmark
  public Map<String, String> envelopeAndSign() {
    byte[] b =
        Envelope.body(
            List.of(Envelope.of(EventType.newLead, created, WEBHOOK_ID, canonicalData)), false);
    return Signer.headers(List.of(SECRET), PAYLOAD_ID, 1_764_064_800L, b);
  }
}
