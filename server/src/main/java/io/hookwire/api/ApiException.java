package io.hookwire.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answered in Oktopost's shape: {@code {"Result": false, "Errors": {"<field>": {"Error":
 * "<message>"}}}}, general errors under {@code "API"}. The one exception type the API and the admin
 * pages throw for anything the caller can fix.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final Map<String, String> errors;

  public ApiException(int status, Map<String, String> errors) {
    super(errors.toString(), null, false, false);
    this.status = status;
    this.errors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(errors));
  }

  public static ApiException invalid(String field, String message) {
    return new ApiException(400, Map.of(field, message));
  }

  public static ApiException general(int status, String message) {
    return new ApiException(status, Map.of("API", message));
  }

  public static ApiException notFound(String what) {
    return general(404, what + " not found");
  }

  public int status() {
    return status;
  }

  /** Field name to message, in the order the fields were checked. */
  public Map<String, String> errors() {
    return errors;
  }
}
