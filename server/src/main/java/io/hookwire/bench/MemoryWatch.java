package io.hookwire.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The process's memory while the benchmark runs, two ways: heap in use sampled every 50 ms (which
 * includes garbage the collector has not yet needed to collect, so it grows with the heap the JVM
 * was given) and heap in use right after each collection (what the process actually keeps alive).
 * Peak RSS comes from the kernel ({@code VmHWM}).
 */
final class MemoryWatch implements AutoCloseable {
  /** Sampling period: short enough to see a young generation fill between collections. */
  private static final long SAMPLE_MILLIS = 50;

  private final Set<String> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toSet());
  private final AtomicLong peakUsed = new AtomicLong();
  private final AtomicLong peakAfterGc = new AtomicLong();
  private final AtomicLong phasePeakUsed = new AtomicLong();
  private final AtomicLong phasePeakAfterGc = new AtomicLong();
  private final List<Runnable> unsubscribe = new ArrayList<>();
  private final Thread sampler;

  MemoryWatch() {
    NotificationListener listener = this::onGc;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        unsubscribe.add(
            () -> {
              try {
                emitter.removeNotificationListener(listener);
              } catch (javax.management.ListenerNotFoundException e) {
                // already gone
              }
            });
      }
    }
    sampler =
        Thread.ofPlatform()
            .name("bench-memory")
            .daemon()
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    peakUsed.accumulateAndGet(used, Math::max);
                    phasePeakUsed.accumulateAndGet(used, Math::max);
                    try {
                      Thread.sleep(SAMPLE_MILLIS);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  private void onGc(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
        notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    long after = 0;
    for (Map.Entry<String, MemoryUsage> pool :
        info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        after += pool.getValue().getUsed();
      }
    }
    long before = 0;
    for (Map.Entry<String, MemoryUsage> pool :
        info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        before += pool.getValue().getUsed();
      }
    }
    peakAfterGc.accumulateAndGet(after, Math::max);
    phasePeakAfterGc.accumulateAndGet(after, Math::max);
    peakUsed.accumulateAndGet(before, Math::max);
    phasePeakUsed.accumulateAndGet(before, Math::max);
  }

  /** Starts a phase's own peaks. */
  void startPhase() {
    phasePeakUsed.set(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    phasePeakAfterGc.set(0);
  }

  Peaks phasePeaks() {
    return new Peaks(phasePeakUsed.get(), phasePeakAfterGc.get());
  }

  Peaks peaks() {
    return new Peaks(peakUsed.get(), peakAfterGc.get());
  }

  /** Heap peaks in bytes; {@code afterGc} is 0 when no collection ran. */
  record Peaks(long used, long afterGc) {}

  static long maxHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
  }

  /** Peak resident set size of this process in bytes, where the kernel reports it (Linux). */
  static OptionalLong peakRss() {
    return statusField("VmHWM:");
  }

  private static OptionalLong statusField(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(name)) {
          String[] parts = line.substring(name.length()).strip().split("\\s+");
          return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or not readable: the figure is reported as absent
    }
    return OptionalLong.empty();
  }

  @Override
  public void close() {
    sampler.interrupt();
    unsubscribe.forEach(Runnable::run);
  }
}
