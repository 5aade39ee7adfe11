package io.hookwire.service;

/**
 * Which page of a list: {@code page} from 0, {@code count} one of {@link Webhooks#PAGE_SIZES} (20
 * when absent).
 */
public record PageRequest(Input page, Input count) {
  public static PageRequest of(int page, int count) {
    return new PageRequest(Input.of(Integer.toString(page)), Input.of(Integer.toString(count)));
  }
}
