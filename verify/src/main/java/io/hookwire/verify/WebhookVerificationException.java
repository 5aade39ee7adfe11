package io.hookwire.verify;

import java.util.Objects;

/**
 * Thrown when a delivery cannot be verified: a signature header is missing or malformed, no
 * signature matches, or the Standard Webhooks timestamp is outside the tolerance.
 *
 * <p>Receivers should answer such a request with a 4xx status (typically 400 or 401) and must not
 * process the body. {@link #reason()} tells the cases apart without parsing the message.
 */
public class WebhookVerificationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why verification failed. */
  public enum Reason {
    /** No signature header at all, or an incomplete set of Standard Webhooks headers. */
    MISSING_HEADER,
    /** A signature or timestamp header is present but not in the expected format. */
    MALFORMED_HEADER,
    /** The headers are well formed but no signature matches the body and the configured secrets. */
    SIGNATURE_MISMATCH,
    /** The {@code webhook-timestamp} is further in the past than the tolerance allows. */
    TIMESTAMP_TOO_OLD,
    /** The {@code webhook-timestamp} is further in the future than the tolerance allows. */
    TIMESTAMP_TOO_NEW
  }

  /** Why verification failed. */
  private final Reason reason;

  /**
   * Creates an exception.
   *
   * @param reason why verification failed
   * @param message human-readable description (never contains secrets)
   */
  public WebhookVerificationException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Returns why verification failed.
   *
   * @return the reason, never {@code null}
   */
  public Reason reason() {
    return reason;
  }
}
