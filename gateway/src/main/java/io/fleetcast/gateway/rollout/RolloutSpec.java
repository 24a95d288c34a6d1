package io.fleetcast.gateway.rollout;

import io.fleetcast.gateway.error.BodyReader;
import io.fleetcast.protocol.net.Subnet;
import io.fleetcast.protocol.AgentIds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A validated rollout request (SPEC section 2, "Rollout body"). */
public record RolloutSpec(String name, List<StepSpec> steps, TargetSpec targets, Strategy strategy, JsonObject request) {

  public static final int MAX_STEPS = 20;
  public static final int MAX_EXPLICIT_AGENTS = 10_000;

  /** Parses the body; every problem is reported at once as a 400 with per-field errors. */
  public static RolloutSpec parse(JsonObject body, Instant now, Duration defaultExpiry) {
    BodyReader r = BodyReader.of(body);
    r.onlyKnown(Set.of("name", "steps", "targets", "strategy"));
    String name = r.string("name", true, 200);
    List<StepSpec> steps = parseSteps(r);
    TargetSpec targets = parseTargets(r);
    Strategy strategy = parseStrategy(r, now, defaultExpiry);
    r.throwIfInvalid();
    return new RolloutSpec(name, steps, targets, strategy, body);
  }

  /** Parses only {@code body.targets} (the count preview), with the same per-field errors as a rollout. */
  public static TargetSpec parseTargets(JsonObject body) {
    BodyReader r = BodyReader.of(body);
    r.onlyKnown(Set.of("targets"));
    TargetSpec t = parseTargets(r);
    r.throwIfInvalid();
    return t;
  }

  private static List<StepSpec> parseSteps(BodyReader r) {
    JsonArray arr = r.array("steps", true, MAX_STEPS);
    List<StepSpec> out = new ArrayList<>();
    if (arr == null) {
      return out;
    }
    if (arr.isEmpty()) {
      r.error("steps", "must hold at least one step");
    }
    for (int i = 0; i < arr.size(); i++) {
      String field = "steps[" + i + "]";
      if (!(arr.getValue(i) instanceof JsonObject step)) {
        r.error(field, "must be an object");
        continue;
      }
      BodyReader s = r.nested(field, step);
      s.onlyKnown(Set.of("kind", "spec", "continueOn"));
      String kind = s.string("kind", true, 32);
      JsonObject spec = s.object("spec", false);
      String continueOn = s.string("continueOn", false, 16);
      if (continueOn == null) {
        continueOn = "success";
      } else if (!Set.of("success", "failure", "always").contains(continueOn)) {
        s.error("continueOn", "must be one of success, failure, always");
      }
      if (kind != null) {
        TaskSpecs.validate(kind, spec == null ? new JsonObject() : spec, s.nested("spec", spec == null ? new JsonObject() : spec), s);
      }
      out.add(new StepSpec(kind, spec == null ? new JsonObject() : spec, continueOn));
    }
    return out;
  }

  private static TargetSpec parseTargets(BodyReader r) {
    JsonObject t = r.object("targets", true);
    if (t == null) {
      return new TargetSpec(List.of(), List.of(), List.of(), List.of(), false);
    }
    BodyReader s = r.nested("targets", t);
    s.onlyKnown(Set.of("agents", "tags", "reportedTags", "subnets", "all"));
    List<String> typed = s.strings("agents", MAX_EXPLICIT_AGENTS, 64);
    // canonical (lower-case) ids: they are signed into the scope, which agents compare as text
    // (same order and length as typed, so that errors about unknown ids name the index the caller sent)
    List<String> agents = new ArrayList<>(typed.size());
    for (int i = 0; i < typed.size(); i++) {
      String id = AgentIds.canonical(typed.get(i));
      if (id == null) {
        s.error("agents[" + i + "]", "must be an agent id (UUID)");
      }
      agents.add(id == null ? typed.get(i) : id);
    }
    List<String> tags = s.strings("tags", 50, 128);
    List<String> reportedTags = s.strings("reportedTags", 50, 128);
    List<String> subnets = s.strings("subnets", 1000, 64);
    for (int i = 0; i < subnets.size(); i++) {
      if (!Subnet.isPostgresCidr(subnets.get(i))) {
        s.error("subnets[" + i + "]", "must be a CIDR block such as 10.20.0.0/16");
      } else if (Subnet.hasHostBits(subnets.get(i))) {
        s.error("subnets[" + i + "]", "has address bits set right of the prefix; write the network, e.g. 10.20.0.0/16");
      }
    }
    Boolean all = s.bool("all");
    boolean isAll = Boolean.TRUE.equals(all);
    TargetSpec spec = new TargetSpec(agents, tags, reportedTags, subnets, isAll);
    if (!isAll && agents.isEmpty() && !spec.selectsByAttributes()) {
      r.error("targets", "must name agents, tags, reportedTags or subnets, or set all: true");
    }
    if (isAll && (!agents.isEmpty() || spec.selectsByAttributes())) {
      r.error("targets.all", "cannot be combined with agents, tags, reportedTags or subnets");
    }
    return spec;
  }

  private static Strategy parseStrategy(BodyReader r, Instant now, Duration defaultExpiry) {
    JsonObject st = r.object("strategy", false);
    BodyReader s = r.nested("strategy", st == null ? new JsonObject() : st);
    s.onlyKnown(Set.of("waves", "maxInFlight", "maxFailurePercent", "startAfter", "expiresAt", "wakeOffline",
        "requireConsent"));
    List<Integer> waves = new ArrayList<>();
    JsonArray w = s.array("waves", false, 20);
    if (w == null || w.isEmpty()) {
      waves.add(100);
    } else {
      double prev = 0;
      for (int i = 0; i < w.size(); i++) {
        Object v = w.getValue(i);
        if (!(v instanceof Number n) || n.doubleValue() <= prev || n.doubleValue() > 100
            || n.doubleValue() != Math.rint(n.doubleValue())) {
          s.error("waves[" + i + "]", "waves are cumulative whole percentages, rising, each in 1..100");
          break;
        }
        prev = n.doubleValue();
        waves.add(n.intValue());
      }
      if (!waves.isEmpty() && waves.get(waves.size() - 1) != 100) {
        s.error("waves", "the last wave must be 100 (every target)");
      }
    }
    Integer maxInFlight = s.integer("maxInFlight", false, 1, 10_000_000);
    Double maxFailure = s.number("maxFailurePercent", 0, 100);
    Instant startAfter = s.instant("startAfter", false);
    Instant expiresAt = s.instant("expiresAt", false);
    if (expiresAt == null) {
      expiresAt = (startAfter != null && startAfter.isAfter(now) ? startAfter : now).plus(defaultExpiry);
    } else if (!expiresAt.isAfter(now)) {
      s.error("expiresAt", "must be in the future");
    } else if (startAfter != null && !expiresAt.isAfter(startAfter)) {
      s.error("expiresAt", "must be after startAfter");
    }
    boolean wake = Boolean.TRUE.equals(s.bool("wakeOffline"));
    boolean consent = Boolean.TRUE.equals(s.bool("requireConsent"));
    return new Strategy(waves, maxInFlight, maxFailure, startAfter, expiresAt, wake, consent);
  }
}
