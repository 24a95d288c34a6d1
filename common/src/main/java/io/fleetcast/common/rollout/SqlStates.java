package io.fleetcast.common.rollout;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * SQL text for states and groups of states, generated from the enums so that no statement repeats a
 * hand-written list. Templates name a state by its wire name ({@code {pending}} becomes
 * {@code 'pending'}) and a group by its constant in lower camel case ({@code {inFlight}} becomes
 * {@code ('waking','dispatched','acked','running')}); an unknown name fails when the template is filled.
 */
public final class SqlStates {
  private SqlStates() {}

  private static final Pattern TOKEN = Pattern.compile("\\{(\\w+)}");

  private static final Map<String, Set<TargetState>> TARGET_GROUPS = Map.of("open", TargetState.OPEN,
      "notHandedOut", TargetState.NOT_HANDED_OUT, "inFlight", TargetState.IN_FLIGHT,
      "withAgent", TargetState.WITH_AGENT, "terminal", TargetState.TERMINAL, "failures", TargetState.FAILURES);

  private static final Map<String, Set<RolloutState>> ROLLOUT_GROUPS = Map.of("active", RolloutState.ACTIVE,
      "unhalted", RolloutState.UNHALTED, "final", RolloutState.FINAL);

  /** {@code ('a','b')}: the group as an SQL list for {@code state IN ...}, in the enum's order. */
  public static String list(Collection<? extends WireState> group) {
    if (group.isEmpty()) {
      throw new IllegalArgumentException("an SQL IN list needs at least one state");
    }
    return group.stream().map(WireState::sql).collect(Collectors.joining(",", "(", ")"));
  }

  /** The wire names of a group, in the enum's order (for messages and metrics). */
  public static List<String> wires(Collection<? extends WireState> group) {
    return group.stream().map(WireState::wire).toList();
  }

  /** Fills a template's target states and groups ({@code {pending}}, {@code {open}}). */
  public static String targets(String template) {
    return fill(template, TARGET_GROUPS, TargetState::of);
  }

  /** Fills a template's rollout states and groups ({@code {halted}}, {@code {unhalted}}). */
  public static String rollouts(String template) {
    return fill(template, ROLLOUT_GROUPS, RolloutState::of);
  }

  private static <S extends WireState> String fill(String template, Map<String, Set<S>> groups,
      Function<String, S> state) {
    Matcher m = TOKEN.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Set<S> group = groups.get(m.group(1));
      String sql = group != null ? list(group) : state.apply(m.group(1)).sql();
      m.appendReplacement(out, Matcher.quoteReplacement(sql));
    }
    m.appendTail(out);
    return out.toString();
  }
}
