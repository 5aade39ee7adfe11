package io.hookwire.store;

import java.time.Instant;

/**
 * Asked by a publish, inside its transaction, which new payloads of enabled webhooks the publishing
 * node takes straight to its lanes. A payload taken is stored {@code in_flight}, leased to this
 * node until {@link #until()}; one refused is stored {@code pending} and claimed later (by any
 * node).
 *
 * <p>If the transaction does not commit, the store calls {@link #cancel()} so that the room taken
 * is given back.
 */
public interface LiveLeases {
  /** Nothing is taken: every payload of an enabled webhook is stored pending. */
  LiveLeases NONE =
      new LiveLeases() {
        @Override
        public boolean take(String webhookId, int batchSize, int dataLength) {
          return false;
        }

        @Override
        public Instant until() {
          return Instant.EPOCH;
        }

        @Override
        public void cancel() {}
      };

  /**
   * Whether this node has room for one more payload of the webhook now; if so it is counted.
   *
   * @param dataLength characters of the payload's event data, which the node will hold in memory
   */
  boolean take(String webhookId, int batchSize, int dataLength);

  /** When the leases of the payloads taken end. */
  Instant until();

  /** Gives back everything taken so far: the transaction that took it did not commit. */
  void cancel();
}
