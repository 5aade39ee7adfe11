package io.hookwire.delivery;

/**
 * What a receiver answered, or why no answer came.
 *
 * @param code the HTTP status, 0 when there was no response
 * @param error why the attempt failed without a response, or what was wrong with it; null if
 *     nothing
 * @param body the first {@link OkHttpSender#MAX_RESPONSE_BODY} characters of the response
 * @param micros from sending to the answer or the failure
 */
public record Reply(int code, String error, String body, long micros) {
  public boolean isSuccess() {
    return code >= 200 && code < 300;
  }
}
