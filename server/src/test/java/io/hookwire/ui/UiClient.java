package io.hookwire.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Cookie;
import okhttp3.CookieJar;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The admin pages over plain HTTP, as a browser without JavaScript would use them: keeps cookies,
 * does not follow redirects (tests look at them), reads tokens out of the pages.
 */
final class UiClient {
  /** One answer: status, headers, the page. */
  record Page(int status, okhttp3.Headers headers, String body) {
    String location() {
      return headers.get("Location");
    }

    List<String> setCookies() {
      return headers.values("Set-Cookie");
    }

    /** The CSRF token of the first form on the page. */
    String csrf() {
      Matcher m = CSRF.matcher(body);
      if (!m.find()) {
        throw new AssertionError("no CSRF token on the page:\n" + body);
      }
      return m.group(1);
    }
  }

  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private final String baseUrl;
  private final Map<String, Cookie> cookies;
  private final OkHttpClient http;

  UiClient(String baseUrl) {
    this(baseUrl, new ConcurrentHashMap<>());
  }

  private UiClient(String baseUrl, Map<String, Cookie> cookies) {
    this.baseUrl = baseUrl;
    this.cookies = cookies;
    this.http =
        new OkHttpClient.Builder()
            .followRedirects(false)
            .callTimeout(Duration.ofSeconds(30))
            .cookieJar(
                new CookieJar() {
                  @Override
                  public void saveFromResponse(HttpUrl url, List<Cookie> received) {
                    for (Cookie c : received) {
                      if (c.expiresAt() <= System.currentTimeMillis()) {
                        cookies.remove(c.name());
                      } else {
                        cookies.put(c.name(), c);
                      }
                    }
                  }

                  @Override
                  public List<Cookie> loadForRequest(HttpUrl url) {
                    return cookies.values().stream().filter(c -> c.matches(url)).toList();
                  }
                })
            .build();
  }

  /** The same browser, its cookies shared, on another node behind the same address. */
  UiClient on(String otherBaseUrl) {
    return new UiClient(otherBaseUrl, cookies);
  }

  Page get(String path) {
    return send(new Request.Builder().url(baseUrl + path).get(), Map.of());
  }

  Page get(String path, Map<String, String> headers) {
    return send(new Request.Builder().url(baseUrl + path).get(), headers);
  }

  Page post(String path, Map<String, String> form) {
    return post(path, form, Map.of());
  }

  Page post(String path, Map<String, String> form, Map<String, String> headers) {
    FormBody.Builder body = new FormBody.Builder();
    form.forEach(body::add);
    return send(new Request.Builder().url(baseUrl + path).post(body.build()), headers);
  }

  Page postRaw(String path, RequestBody body) {
    return send(new Request.Builder().url(baseUrl + path).post(body), Map.of());
  }

  /** Signs in through the form, as a browser does; answers the redirect after it. */
  Page signIn(String accountId, String apiKey) {
    Page form = get("/ui/sign-in");
    return post(
        "/ui/sign-in", Map.of("csrf", form.csrf(), "accountId", accountId, "apiKey", apiKey));
  }

  String cookie(String name) {
    Cookie c = cookies.get(name);
    return c == null ? null : c.value();
  }

  void setCookie(String name, String value) {
    cookies.put(
        name, new Cookie.Builder().name(name).value(value).domain("127.0.0.1").path("/ui").build());
  }

  private Page send(Request.Builder request, Map<String, String> headers) {
    headers.forEach(request::header);
    try (okhttp3.Response response = http.newCall(request.build()).execute()) {
      return new Page(response.code(), response.headers(), response.body().string());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
