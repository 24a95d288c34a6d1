package io.fleetcast.fleetctl.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fleetcast.fleetctl.CliException;
import io.fleetcast.fleetctl.output.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Builds the body of {@code POST /api/v1/rollouts} (docs/api.md) from a YAML/JSON file,
 * flags, or both: each flag given replaces that part of the file. Validation is the server's:
 * its field errors are shown as they come, so the rules live in one place.
 */
public final class RolloutRequest {
  // YAML 1.1 is a superset of JSON for these documents: one reader for both kinds of file
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private RolloutRequest() {}

  public static ObjectNode fromFile(Path file) {
    try {
      JsonNode n = YAML.readTree(Files.readString(file));
      if (n == null || !n.isObject()) {
        throw CliException.usage(file + ": must hold one object (the rollout body of POST /api/v1/rollouts)");
      }
      return (ObjectNode) n;
    } catch (NoSuchFileException e) {
      throw CliException.usage(file + ": no such file");
    } catch (IOException e) {
      throw CliException.usage(file + ": cannot parse: " + firstLine(e.getMessage()));
    }
  }

  public static ObjectNode build(ObjectNode fromFile, RolloutFlags f, Instant now) {
    ObjectNode body = fromFile == null ? Json.object() : fromFile.deepCopy();
    if (f.name() != null) {
      body.put("name", f.name());
    }
    if (f.hasSteps()) {
      body.set("steps", steps(f));
    }
    if (f.hasTargets()) {
      body.set("targets", targets(f));
    }
    strategy(body, f, now);
    if (fromFile == null) {
      requireBasics(body);
    }
    return body;
  }

  /** Without a file, the flags must say at least what to run and where; the server checks the rest. */
  private static void requireBasics(ObjectNode body) {
    if (!body.has("name")) {
      throw CliException.usage("--name is required (or give a rollout file with -f)");
    }
    if (!body.has("steps")) {
      throw CliException.usage("say what to run: --exec CMD or --step JSON (or give a rollout file with -f)");
    }
    if (!body.has("targets")) {
      throw CliException.usage("say where: --target-all, --tag, --subnet or --agent (or give a rollout file with -f)");
    }
  }

  private static ArrayNode steps(RolloutFlags f) {
    ArrayNode steps = Json.array();
    if (f.exec() != null) {
      ObjectNode spec = Json.object().put("command", f.exec()).put("shell", true);
      if (f.timeoutSeconds() != null) {
        spec.put("timeoutSeconds", f.timeoutSeconds());
      }
      steps.add(Json.object().put("kind", "exec").set("spec", spec));
    }
    for (String s : f.steps()) {
      JsonNode step;
      try {
        step = Json.parse(s);
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--step '" + s + "': " + e.getMessage());
      }
      if (!step.isObject()) {
        throw CliException.usage("--step '" + s + "': must be a JSON object like {\"kind\":\"inventory\"}");
      }
      steps.add(step);
    }
    return steps;
  }

  private static ObjectNode targets(RolloutFlags f) {
    ObjectNode t = Json.object();
    if (f.targetAll()) {
      t.put("all", true);
    }
    addAll(t.putArray("agents"), f.agents());
    addAll(t.putArray("tags"), f.tags());
    addAll(t.putArray("subnets"), f.subnets());
    return t;
  }

  private static void strategy(ObjectNode body, RolloutFlags f, Instant now) {
    JsonNode existing = body.path("strategy");
    ObjectNode s = existing.isObject() ? (ObjectNode) existing : Json.object();
    if (!f.waves().isEmpty()) {
      ArrayNode w = s.putArray("waves");
      f.waves().forEach(w::add);
    }
    if (f.maxInFlight() != null) {
      s.put("maxInFlight", f.maxInFlight());
    }
    if (f.maxFailurePercent() != null) {
      s.put("maxFailurePercent", f.maxFailurePercent());
    }
    if (f.startAfter() != null) {
      s.put("startAfter", TimeArg.toRfc3339("--start-after", f.startAfter(), now));
    }
    if (f.expiresAt() != null) {
      String expiry = TimeArg.toRfc3339("--expires-at", f.expiresAt(), now);
      // said here rather than by the server: a pasted example with a fixed date goes stale
      if (!Instant.parse(expiry).isAfter(now)) {
        throw CliException.usage("--expires-at " + f.expiresAt() + " is not in the future; give a time from now, "
            + "e.g. --expires-at 24h");
      }
      s.put("expiresAt", expiry);
    }
    if (f.wakeOffline()) {
      s.put("wakeOffline", true);
    }
    if (f.requireConsent()) {
      s.put("requireConsent", true);
    }
    if (!s.isEmpty()) {
      body.set("strategy", s);
    }
  }

  private static void addAll(ArrayNode arr, Iterable<String> values) {
    values.forEach(arr::add);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
