package io.hookwire.delivery;

import java.util.Map;

/**
 * Sends one delivery request and says what came of it. {@link OkHttpSender} is the real one; the
 * dispatcher knows only this, so its decisions can be tested without sockets.
 */
public interface Sender {
  /**
   * POSTs {@code body} to {@code url}. Never throws for anything the receiver or the network did:
   * that is a {@link Reply} with code 0 and the error.
   */
  Reply post(String url, Map<String, String> headers, byte[] body);
}
