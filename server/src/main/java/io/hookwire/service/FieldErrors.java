package io.hookwire.service;

import java.util.LinkedHashMap;
import java.util.Map;

/** Collects every invalid field of a command, so one answer names them all. */
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
      throw new ValidationException(errors);
    }
  }
}
