package io.hookwire.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Calls a running server's API over HTTP as curl would: Basic auth, form or JSON bodies. Answers
 * are parsed but not judged: tests assert on status and body.
 */
public final class ApiClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final OkHttpClient HTTP =
      new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build();

  /** What the server answered. */
  public record Answer(int status, JsonNode json, String text, okhttp3.Headers headers) {}

  private final String baseUrl;
  private final String authorization;

  public ApiClient(String baseUrl, String accountId, String apiKey) {
    this.baseUrl = baseUrl;
    this.authorization = accountId == null ? null : Credentials.basic(accountId, apiKey);
  }

  /** The same server, other credentials. */
  public ApiClient as(String accountId, String apiKey) {
    return new ApiClient(baseUrl, accountId, apiKey);
  }

  public Answer get(String path) {
    return send(request(path).get());
  }

  public Answer delete(String path) {
    return send(request(path).delete());
  }

  /** A form body, as {@code curl -d name=value} sends. */
  public Answer postForm(String path, Map<String, String> form) {
    return send(request(path).post(form(form)));
  }

  public Answer putForm(String path, Map<String, String> form) {
    return send(request(path).put(form(form)));
  }

  public Answer postJson(String path, String json) {
    return postJson(path, json, Map.of());
  }

  public Answer postJson(String path, String json, Map<String, String> headers) {
    Request.Builder r =
        request(path).post(RequestBody.create(json, MediaType.get("application/json")));
    headers.forEach(r::header);
    return send(r);
  }

  /** Any method, any body and content type: for bad-input tests. */
  public Answer raw(String method, String path, String contentType, byte[] body) {
    RequestBody requestBody =
        body == null
            ? null
            : RequestBody.create(body, contentType == null ? null : MediaType.get(contentType));
    return send(request(path).method(method, requestBody));
  }

  private static RequestBody form(Map<String, String> form) {
    FormBody.Builder b = new FormBody.Builder();
    form.forEach(b::add);
    return b.build();
  }

  private Request.Builder request(String path) {
    Request.Builder b = new Request.Builder().url(baseUrl + path);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  private static Answer send(Request.Builder request) {
    try (okhttp3.Response response = HTTP.newCall(request.build()).execute()) {
      String text = response.body().string();
      JsonNode json = null;
      try {
        json = text.isEmpty() ? null : MAPPER.readTree(text);
      } catch (IOException notJson) {
        // left null: the test sees the text
      }
      return new Answer(response.code(), json, text, response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
