package io.fleetcast.agent.task;

import io.fleetcast.protocol.net.Subnet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Whether this agent is among a signed task's targets. The signature covers the scope, so a
 * node (or anyone between) cannot send a task signed for other machines to this one. The rule
 * mirrors the rollout {@code targets} (SPEC section 2): {@code all: true}; or the agent id in
 * {@code agents}; or, with at least one of {@code tags} and {@code subnets} given, every given
 * tag among the agent's tags AND (when subnets are given) one of its IPs in one of them. Agent ids
 * compare case-insensitively; {@code reportedTags} (the opt-in selector on self-reported tags) are
 * checked like {@code tags}.
 */
public final class ScopeCheck {
  private ScopeCheck() {}

  /** @return null when in scope, else why not */
  public static String whyNotInScope(JsonObject scope, String agentId, Collection<String> tags,
      Collection<String> ips) {
    if (scope == null) {
      return "not in scope: the task names no scope";
    }
    if (Boolean.TRUE.equals(scope.getValue("all"))) {
      return null;
    }
    List<String> agents = strings(scope.getValue("agents"));
    // ids are hex: the same id in another case is the same agent (the gateway signs canonical ids)
    if (agentId != null && agents.stream().anyMatch(agentId::equalsIgnoreCase)) {
      return null;
    }
    List<String> wantTags = new ArrayList<>(strings(scope.getValue("tags")));
    // tags the rollout chose to match on what agents report about themselves: checked alike here,
    // since the agent trusts its own tags
    wantTags.addAll(strings(scope.getValue("reportedTags")));
    List<String> wantSubnets = strings(scope.getValue("subnets"));
    if (wantTags.isEmpty() && wantSubnets.isEmpty()) {
      return "not in scope: agent " + agentId + " is not among the targeted agents";
    }
    if (!tags.containsAll(wantTags)) {
      List<String> missing = new ArrayList<>(wantTags);
      missing.removeAll(tags);
      return "not in scope: agent lacks tags " + missing;
    }
    if (!wantSubnets.isEmpty() && !anyIpIn(ips, wantSubnets)) {
      return "not in scope: no agent IP lies in " + wantSubnets;
    }
    return null;
  }

  /**
   * True when the task is out of scope and would be in scope if the agent had every tag the
   * scope's {@code tags} name: only then can learning the server-assigned tags change the answer.
   */
  public static boolean onlyTagsMissing(JsonObject scope, String agentId, Collection<String> tags,
      Collection<String> ips) {
    if (scope == null || whyNotInScope(scope, agentId, tags, ips) == null) {
      return false;
    }
    List<String> wanted = strings(scope.getValue("tags"));
    if (wanted.isEmpty()) {
      return false;
    }
    java.util.Set<String> more = new java.util.HashSet<>(tags);
    more.addAll(wanted);
    return whyNotInScope(scope, agentId, more, ips) == null;
  }

  private static boolean anyIpIn(Collection<String> ips, List<String> subnets) {
    for (String s : subnets) {
      Subnet cidr;
      try {
        cidr = Subnet.parseOrHost(s);
      } catch (IllegalArgumentException bad) {
        continue;
      }
      for (String ip : ips) {
        if (cidr.contains(ip)) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> strings(Object v) {
    List<String> out = new ArrayList<>();
    if (v instanceof JsonArray arr) {
      for (Object o : arr) {
        if (o instanceof String s) {
          out.add(s);
        }
      }
    }
    return out;
  }
}
