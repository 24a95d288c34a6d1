package io.fleetcast.gateway.wake;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Remembers when this gateway first sent a packet (or relay request) for an agent, and records
 * the time to that agent's next connection in the wake-to-connect histogram. Bounded in size and
 * age. Confined to the executor's context.
 */
final class WakeToConnect {
  static final int MAX_ENTRIES = 200_000;
  static final long MAX_AGE_NANOS = 3_600_000_000_000L;

  private final WakeMetrics metrics;
  private final LinkedHashMap<String, Long> woken = new LinkedHashMap<>();

  WakeToConnect(WakeMetrics metrics) {
    this.metrics = metrics;
  }

  void woken(String agentId, long now) {
    if (agentId == null || woken.containsKey(agentId)) {
      return;
    }
    woken.put(agentId, now);
    if (woken.size() > MAX_ENTRIES) {
      Iterator<String> it = woken.keySet().iterator();
      it.next();
      it.remove();
    }
  }

  void connected(Iterable<UUID> agentIds, long now) {
    if (woken.isEmpty()) {
      return;
    }
    for (UUID id : agentIds) {
      Long at = woken.remove(id.toString());
      if (at != null) {
        metrics.wakeToConnect(now - at);
      }
    }
  }

  void forgetOld(long now) {
    for (Iterator<Map.Entry<String, Long>> it = woken.entrySet().iterator(); it.hasNext(); ) {
      if (now - it.next().getValue() > MAX_AGE_NANOS) {
        it.remove();
      } else {
        break;
      }
    }
  }
}
