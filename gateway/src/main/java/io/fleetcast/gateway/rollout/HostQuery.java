package io.fleetcast.gateway.rollout;

import io.fleetcast.gateway.error.DomainError;
import io.fleetcast.common.rollout.TargetState;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One page of a rollout's per-host table, as asked: target states to show, a sort column and
 * direction, offset and limit. Columns are a fixed list mapped to SQL, so nothing from the
 * request reaches the statement as text.
 */
public record HostQuery(List<String> states, String sort, boolean descending, int offset, int limit) {
  public static final int MAX_LIMIT = 500;
  public static final int MAX_OFFSET = 10_000_000;

  /** Sort keys of the API and the SQL expression each one sorts by (see {@link HostTable}). */
  static final Map<String, String> SORTS = Map.of(
      "hostname", "hostname", "state", "t.state", "step", "t.step", "exitCode", "exit_code",
      "reason", "t.reason", "duration", "duration", "wave", "t.wave", "agentId", "t.agent_id");

  public static HostQuery parse(MultiMap q) {
    List<String> states = new ArrayList<>();
    String st = q.get("state");
    if (st != null && !st.isBlank()) {
      for (String s : st.split(",")) {
        if (!TargetState.known(s)) {
          throw DomainError.badRequest("state must be a comma-separated list of " + String.join(", ", TargetState.wireNames()));
        }
        states.add(s);
      }
    }
    String sort = q.get("sort") == null ? "hostname" : q.get("sort");
    if (!SORTS.containsKey(sort)) {
      throw DomainError.badRequest("sort must be one of " + String.join(", ", SORTS.keySet()));
    }
    String order = q.get("order") == null ? "asc" : q.get("order");
    if (!order.equals("asc") && !order.equals("desc")) {
      throw DomainError.badRequest("order must be asc or desc");
    }
    return new HostQuery(List.copyOf(states), sort, order.equals("desc"), intParam(q, "offset", 0, 0, MAX_OFFSET),
        intParam(q, "limit", 50, 1, MAX_LIMIT));
  }

  String orderBy() {
    String dir = descending ? " DESC NULLS LAST" : " ASC NULLS LAST";
    return SORTS.get(sort) + dir + ", t.agent_id" + (descending ? " DESC" : "");
  }

  private static int intParam(MultiMap q, String name, int dflt, int min, int max) {
    String v = q.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw DomainError.badRequest(name + " must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw DomainError.badRequest(name + " must be an integer");
    }
  }
}
