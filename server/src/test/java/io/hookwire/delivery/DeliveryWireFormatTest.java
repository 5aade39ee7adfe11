package io.hookwire.delivery;

import static io.hookwire.delivery.Deliveries.createWebhook;
import static io.hookwire.delivery.Deliveries.log;
import static io.hookwire.delivery.Deliveries.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import io.hookwire.delivery.Deliveries.Hook;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.NodeJs;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.RecordingReceiver.Received;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import io.hookwire.verify.Envelope;
import io.hookwire.verify.Envelopes;
import io.hookwire.verify.WebhookVerifier;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A receiver trusts a delivery only if its signatures check out and its body is what it expects:
 * these tests take a delivery off a real socket and check every header and the body byte for byte,
 * with HMACs computed here, the Standard Webhooks library, our verify library and JavaScript.
 */
class DeliveryWireFormatTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void deliveryCarriesEveryHeaderAndSignatureOfTheWireFormat(StoreKind kind) throws Exception {
    try (TestServer server = TestServer.start(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hooks/crm"));
      long before = Instant.now().getEpochSecond();
      publish(api, "{\"email\":\"ada@example.com\",\"score\":7}");

      await().atMost(PATIENCE).until(() -> receiver.received().size() == 1);
      Received request = receiver.received().get(0);
      byte[] body = request.body();
      String secret = hook.secret();

      assertThat(request.path()).isEqualTo("/hooks/crm");
      assertThat(request.header("Content-Type")).isEqualTo("application/json");
      assertThat(request.header("User-Agent")).startsWith("Hookwire/");
      assertThat(request.header("X-Oktopost-Webhook")).isEqualTo(hook.id());
      String payloadId = request.header("X-Oktopost-Payload");
      assertThat(payloadId).matches("0WB[0-9A-Za-z]{12}");
      await().atMost(PATIENCE).until(() -> log(api, hook.id()).get("Total").asInt() == 1);
      assertThat(log(api, hook.id()).at("/Items/0/WebhookPayloadId").asText()).isEqualTo(payloadId);

      // The help article's and Oktopost's SDK's check, and the API reference's, computed here.
      assertThat(request.header("X-Oktopost-Secret")).isEqualTo(hexHmac("HmacSHA1", secret, body));
      assertThat(request.header("X-Oktopost-Signature"))
          .isEqualTo(hexHmac("HmacSHA256", secret, body));

      // Standard Webhooks: the message id is the payload id, so a retry keeps it.
      String id = request.header("webhook-id");
      String timestamp = request.header("webhook-timestamp");
      assertThat(id).isEqualTo(payloadId);
      assertThat(Long.parseLong(timestamp))
          .isBetween(before - 1, Instant.now().getEpochSecond() + 1);
      byte[] signed = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
      assertThat(request.header("webhook-signature"))
          .isEqualTo(
              "v1,"
                  + Base64.getEncoder()
                      .encodeToString(hmac("HmacSHA256", secret, concat(signed, body))));
      String key =
          "whsec_" + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
      Webhook standard = new Webhook(key);
      standard.verify(request.bodyText(), headers(request));
      assertThatThrownBy(() -> standard.verify(request.bodyText() + " ", headers(request)))
          .as("a changed body fails the Standard Webhooks check")
          .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);

      WebhookVerifier verifier = WebhookVerifier.of(secret);
      verifier.requireStandardWebhooks().verify(body, request::header);
      verifier.verifyOktopostSecret(body, request.header("X-Oktopost-Secret"));
      verifier.verifyOktopostSignature(body, request.header("X-Oktopost-Signature"));

      // The body is the reference's envelope, compact, in this key order.
      List<Envelope> envelopes = Envelopes.parse(body);
      assertThat(envelopes).hasSize(1);
      Envelope envelope = envelopes.get(0);
      assertThat(envelope.timestamp()).isBetween(before - 1, Instant.now().getEpochSecond() + 1);
      assertThat(request.bodyText())
          .isEqualTo(
              "{\"event\":\"newLead\",\"timestamp\":"
                  + envelope.timestamp()
                  + ",\"webhookId\":\""
                  + hook.id()
                  + "\",\"data\":{\"email\":\"ada@example.com\",\"score\":7}}");
      assertThat(Envelopes.payloadIds(request.header("X-Oktopost-Payload")))
          .containsExactly(payloadId);
    }
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void bodySurvivesJavaScriptsParseAndStringifyByteForByte(StoreKind kind) {
    NodeJs.assumeAvailable();
    // Everything JSON.stringify treats specially: escapes, control characters, the line
    // separators it leaves alone, lone surrogates, astral characters, numbers it rewrites, and
    // keys it reorders. (Numbers beyond a double, such as 1e400, are refused on input.)
    String data =
        """
        {"text":"héllo wörld ✓ 日本語","emoji":"😀👍🏽 \\ud83d\\ude00",\
        "escapes":"quote \\" backslash \\\\ slash \\/ tab \\t nl \\n cr \\r bs \\b ff \\f",\
        "controls":"\\u0000\\u0001\\u001f\\u007f","separators":"\\u2028 \\u2029 \u2028",\
        "lone":"\\ud800 \\udfff","numbers":[1.0,1e21,1e20,1e-7,1e-6,-0,-0.0,\
        123456789012345678901234,0.1,0.30000000000000004,1E2,-1.5e-10,5e-324,\
        1.7976931348623157e308,9007199254740993],\
        "b":"b","2":"two","a":"a","10":"ten","1":"one","01":"zero-one",\
        "4294967295":"not an index","4294967294":"the largest index",\
        "nested":{"z":[{"y":1,"0":0}],"3":null,"t":true,"f":false}}""";
    try (TestServer server = TestServer.start(kind);
        RecordingReceiver receiver = new RecordingReceiver()) {
      ApiClient api = server.api();
      Hook hook = createWebhook(api, receiver.url("/hook"));
      publish(api, data);

      await().atMost(PATIENCE).until(() -> receiver.received().size() == 1);
      Received request = receiver.received().get(0);
      String body = request.bodyText();

      assertThat(new String(NodeJs.roundTrip(request.body()), StandardCharsets.UTF_8))
          .isEqualTo(body);
      long timestamp = Deliveries.json(request.body()).get("timestamp").asLong();
      assertThat(body)
          .isEqualTo(
              "{\"event\":\"newLead\",\"timestamp\":"
                  + timestamp
                  + ",\"webhookId\":\""
                  + hook.id()
                  + "\",\"data\":"
                  + NodeJs.roundTrip(data)
                  + "}");
      // So the reference's Node snippet, which signs JSON.stringify(payload), accepts it.
      assertThat(request.header("X-Oktopost-Signature"))
          .isEqualTo(hexHmac("HmacSHA256", hook.secret(), NodeJs.roundTrip(request.body())));
    }
  }

  static HttpHeaders headers(Received request) {
    Map<String, List<String>> map =
        request.headers().entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
    return HttpHeaders.of(map, (name, value) -> true);
  }

  static String hexHmac(String algorithm, String secret, byte[] body) {
    return HexFormat.of().formatHex(hmac(algorithm, secret, body));
  }

  static byte[] hmac(String algorithm, String secret, byte[] data) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
