package io.hookwire.service;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the caller must fix, field by field, every invalid field of a request at once. The REST API
 * answers it in Oktopost's error shape; the admin pages show each message beside its field.
 */
public final class ValidationException extends RuntimeException {
  /** The key of an error that belongs to no one field, as Oktopost's answers name it. */
  public static final String GENERAL = "API";

  private final Map<String, String> errors;

  public ValidationException(Map<String, String> errors) {
    super(errors.toString(), null, false, false);
    this.errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
  }

  public static ValidationException of(String field, String message) {
    return new ValidationException(Map.of(field, message));
  }

  public static ValidationException general(String message) {
    return of(GENERAL, message);
  }

  /** Field name to message, in the order the fields were checked. */
  public Map<String, String> errors() {
    return errors;
  }
}
