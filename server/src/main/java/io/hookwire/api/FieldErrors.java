package io.hookwire.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** Collects every invalid field of a request, so one answer names them all. */
final class FieldErrors {
  private final Map<String, String> errors = new LinkedHashMap<>();

  void add(String field, String message) {
    errors.putIfAbsent(field, message);
  }

  boolean has(String field) {
    return errors.containsKey(field);
  }

  void throwIfAny() {
    if (!errors.isEmpty()) {
      throw new ApiException(400, errors);
    }
  }
}
