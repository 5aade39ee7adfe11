package io.hookwire.service;

/** The account has no such thing (or it was deleted meanwhile). */
public final class NotFoundException extends RuntimeException {
  private final String what;

  /**
   * @param what what was looked for, as a user names it: {@code Webhook}
   */
  public NotFoundException(String what) {
    super(what + " not found", null, false, false);
    this.what = what;
  }

  public String what() {
    return what;
  }
}
