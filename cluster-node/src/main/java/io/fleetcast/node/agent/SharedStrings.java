package io.fleetcast.node.agent;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One copy of the short texts thousands of agents repeat (agent versions): a node holding
 * 100,000 agents of three versions keeps three strings, not 100,000. Bounded, so agent input of
 * unusual values costs only its own copy and cannot grow the table.
 */
final class SharedStrings {
  static final int MAX_ENTRIES = 1024;
  static final int MAX_LENGTH = 64;
  private static final ConcurrentHashMap<String, String> SHARED = new ConcurrentHashMap<>();

  private SharedStrings() {}

  static String dedupe(String s) {
    if (s == null || s.length() > MAX_LENGTH) {
      return s;
    }
    String shared = SHARED.get(s);
    if (shared != null) {
      return shared;
    }
    if (SHARED.size() >= MAX_ENTRIES) {
      return s;
    }
    String prev = SHARED.putIfAbsent(s, s);
    return prev == null ? s : prev;
  }
}
