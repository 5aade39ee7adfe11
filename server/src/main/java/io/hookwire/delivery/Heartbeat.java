package io.hookwire.delivery;

import io.hookwire.store.Store;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's heartbeat in the store, and the release of silent nodes' leases: a node killed in the
 * middle of delivering has its payloads sent by another within {@link #SILENT_AFTER} and a beat,
 * instead of when each lease runs out (80 s by default). With SQLite the restarted process itself
 * releases what its previous run held, when it joins.
 */
public final class Heartbeat implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  /** How often a node says it is alive, and looks for nodes that stopped. */
  public static final Duration INTERVAL = Duration.ofSeconds(2);

  /**
   * Three beats missed: a node is taken for dead. A live node that misses three beats in a row (its
   * database connection lost) may have its leases released while it still sends them: the payloads
   * are sent twice, never lost, as at-least-once delivery allows.
   */
  public static final Duration SILENT_AFTER = INTERVAL.multipliedBy(3);

  private final Store store;
  private final Clock clock;
  private final ScheduledExecutorService beats =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("hookwire-heartbeat").daemon().factory());

  /** Joins the store as a node: from now on its leases name this node. */
  public Heartbeat(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
    long id = store.joinAsNode(hostName(), clock.instant());
    log.info("delivering as node {}", id);
  }

  /**
   * Starts beating.
   *
   * @param released called when payloads of a silent node became due: claim them now
   */
  public void start(Runnable released) {
    beats.scheduleWithFixedDelay(
        () -> beat(released), INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void beat(Runnable released) {
    try {
      store.heartbeat(clock.instant());
      int n = store.releaseSilentNodes(clock.instant(), SILENT_AFTER);
      if (n > 0) {
        log.warn(
            "released {} payloads leased by nodes silent for {} s", n, SILENT_AFTER.toSeconds());
        released.run();
      }
    } catch (RuntimeException e) {
      log.warn("heartbeat failed; trying again in {} s: {}", INTERVAL.toSeconds(), e.toString());
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }

  /** Stops beating and leaves: call after the dispatcher gave its leases back. */
  @Override
  public void close() {
    beats.shutdownNow();
    try {
      beats.awaitTermination(5, TimeUnit.SECONDS);
      store.leaveAsNode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("could not leave the store's nodes: {}", e.toString());
    }
  }
}
