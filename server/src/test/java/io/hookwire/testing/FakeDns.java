package io.hookwire.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Dns;

/**
 * A resolver the test scripts: each name answers its scripted address lists in order, the last one
 * for every lookup after. Names never scripted are unknown, so nothing leaks to real DNS.
 */
public final class FakeDns implements Dns {
  private final Map<String, Deque<List<InetAddress>>> answers = new ConcurrentHashMap<>();
  private final List<String> lookups = new CopyOnWriteArrayList<>();

  /** {@code name} resolves to these addresses (literals such as {@code "10.0.0.5"} or "::1"). */
  public FakeDns set(String name, String... addresses) {
    answers.put(key(name), new ConcurrentLinkedDeque<>(List.of(addresses(addresses))));
    return this;
  }

  /** The next lookup of {@code name} answers these, after any answers already scripted. */
  public FakeDns thenAnswer(String name, String... addresses) {
    answers
        .computeIfAbsent(key(name), k -> new ConcurrentLinkedDeque<>())
        .addLast(addresses(addresses));
    return this;
  }

  @Override
  public List<InetAddress> lookup(String hostname) throws UnknownHostException {
    lookups.add(hostname);
    Deque<List<InetAddress>> scripted = answers.get(key(hostname));
    if (scripted == null || scripted.isEmpty()) {
      throw new UnknownHostException(hostname + " is not known to the FakeDns");
    }
    synchronized (scripted) {
      return scripted.size() > 1 ? scripted.pollFirst() : scripted.peekFirst();
    }
  }

  /** Every name looked up, in order. */
  public List<String> lookups() {
    return new ArrayList<>(lookups);
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  private static List<InetAddress> addresses(String... literals) {
    List<InetAddress> out = new ArrayList<>();
    for (String literal : literals) {
      try {
        // Literals only: getByName parses them without a lookup.
        out.add(InetAddress.getByName(literal));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an address literal: " + literal, e);
      }
    }
    return List.copyOf(out);
  }
}
