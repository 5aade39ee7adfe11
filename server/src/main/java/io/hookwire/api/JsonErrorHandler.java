package io.hookwire.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.hookwire.core.Json;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals (an undecodable or ambiguous path, a URI or headers too long) happen before
 * any route runs; this answers them in Oktopost's error shape too, instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
  private static final HttpField JSON_TYPE =
      new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

  /** Every method gets the error body; Jetty's default writes one for GET and POST only. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected boolean generateAcceptableResponse(
      Request request,
      Response response,
      Callback callback,
      String contentType,
      List<Charset> charsets,
      int code,
      String message,
      Throwable cause) {
    response.getHeaders().put(JSON_TYPE);
    response.write(true, ByteBuffer.wrap(body(code)), callback);
    return true;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(JSON_TYPE);
    return ByteBuffer.wrap(body(status));
  }

  private static byte[] body(int status) {
    String message =
        switch (status) {
          case 400 -> "the request could not be read: check the URL's encoding and the headers";
          case 404 -> "no such route";
          case 405 -> "method not allowed on this route";
          case 413 -> "the request body is too large";
          case 414 -> "the URL is too long";
          case 431 -> "the request headers are too large";
          default -> status >= 500 ? "internal error" : "the request was refused";
        };
    try {
      return Json.MAPPER.writeValueAsBytes(Views.error(Map.of("API", message)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
