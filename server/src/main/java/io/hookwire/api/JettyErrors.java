package io.hookwire.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers before a request reaches the routes (headers too large, a request line it
 * cannot parse), in Oktopost's error shape like every other error instead of Jetty's HTML page.
 */
public final class JettyErrors extends ErrorHandler {
  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback)
      throws java.io.IOException {
    String text =
        switch (code) {
          case 431 -> "the request headers are too large";
          case 413 -> "the request body is too large";
          // Jetty's reason, e.g. "Ambiguous URI encoding", says more than the status name.
          default -> message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        };
    byte[] body;
    try {
      body = Json.MAPPER.writeValueAsBytes(Views.error(Map.of("API", text)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an error map always serializes", e);
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
