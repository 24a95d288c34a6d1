package io.fleetcast.gateway.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fleetcast.gateway.error.DomainError;
import io.fleetcast.gateway.error.FieldError;
import io.fleetcast.gateway.http.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Validation of the rollout body (SPEC section 2), every problem reported at once with its field path. */
@Timeout(10)
class RolloutSpecTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration DAY = Duration.ofHours(24);
  private static final String AGENT = "5b6c1a0e-8a0c-4b53-9d0e-3f3d2b6a7c11";
  private static final String SHA = "a".repeat(64);

  private static JsonObject exec() {
    return new JsonObject().put("kind", "exec").put("spec", new JsonObject().put("command", "apply-patch"));
  }

  private static JsonObject body() {
    return new JsonObject().put("name", "patch").put("steps", new JsonArray().add(exec()))
        .put("targets", new JsonObject().put("tags", new JsonArray().add("branch-office")));
  }

  private static List<FieldError> errors(JsonObject body) {
    DomainError p = catchThrowableOfType(DomainError.class, () -> RolloutSpec.parse(body, NOW, DAY));
    assertThat(p).as("a 400 problem for %s", body == null ? null : body.encode()).isNotNull();
    assertThat(p.kind()).isEqualTo(DomainError.Kind.INVALID);
    return p.errors();
  }

  /** The SPEC's example body is valid and read as written. */
  @Test
  void specExampleIsValid() {
    // GIVEN the example of SPEC section 2
    JsonObject body = new JsonObject("""
        {
          "name": "emergency: patch CVE-2026-1234",
          "steps": [
            { "kind": "exec", "spec": { "command": "apply-patch", "args": ["--now"], "timeoutSeconds": 300 },
              "continueOn": "success" },
            { "kind": "power", "spec": { "action": "reboot", "onlyIfNoUser": true } }
          ],
          "targets": { "agents": [], "tags": ["branch-office"], "subnets": ["10.20.0.0/16"], "all": false },
          "strategy": {
            "waves": [1, 10, 100],
            "maxInFlight": 5000,
            "maxFailurePercent": 5,
            "startAfter": null,
            "expiresAt": "2026-12-01T00:00:00Z",
            "wakeOffline": true,
            "requireConsent": false
          }
        }""");

    // WHEN it is parsed
    RolloutSpec spec = RolloutSpec.parse(body, NOW, DAY);

    // THEN every part is taken over
    assertThat(spec.name()).isEqualTo("emergency: patch CVE-2026-1234");
    assertThat(spec.steps()).extracting(StepSpec::kind).containsExactly("exec", "power");
    assertThat(spec.steps()).extracting(StepSpec::continueOn).containsExactly("success", "success");
    assertThat(spec.targets()).isEqualTo(new TargetSpec(List.of(), List.of("branch-office"), List.of(), List.of("10.20.0.0/16"), false));
    Strategy s = spec.strategy();
    assertThat(s.waves()).containsExactly(1, 10, 100);
    assertThat(s.maxInFlight()).isEqualTo(5000);
    assertThat(s.maxFailurePercent()).isEqualTo(5.0);
    assertThat(s.startAfter()).isNull();
    assertThat(s.expiresAt()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(s.wakeOffline()).isTrue();
    assertThat(s.requireConsent()).isFalse();
    assertThat(spec.request()).isSameAs(body);
  }

  /** Omitted strategy fields mean: one wave of 100, no limits, start now, expire after the default, no wake, no consent. */
  @Test
  void defaults() {
    // GIVEN a body without strategy
    // WHEN it is parsed
    RolloutSpec spec = RolloutSpec.parse(body(), NOW, DAY);

    // THEN the SPEC's defaults apply
    Strategy s = spec.strategy();
    assertThat(s.waves()).containsExactly(100);
    assertThat(s.maxInFlight()).isNull();
    assertThat(s.maxFailurePercent()).isNull();
    assertThat(s.startAfter()).isNull();
    assertThat(s.expiresAt()).isEqualTo(NOW.plus(DAY));
    assertThat(s.wakeOffline()).isFalse();
    assertThat(s.requireConsent()).isFalse();
    assertThat(spec.steps().get(0).continueOn()).isEqualTo("success");
  }

  /** Without expiresAt, a rollout scheduled for later expires the default time after its start. */
  @Test
  void defaultExpiryCountsFromStartAfter() {
    // GIVEN a rollout starting in two days without expiry
    Instant start = NOW.plus(Duration.ofDays(2));
    JsonObject body = body().put("strategy", new JsonObject().put("startAfter", start.toString()));

    // WHEN it is parsed
    Strategy s = RolloutSpec.parse(body, NOW, DAY).strategy();

    // THEN it expires a day after it starts
    assertThat(s.startAfter()).isEqualTo(start);
    assertThat(s.expiresAt()).isEqualTo(start.plus(DAY));
  }

  /** Times with an offset are accepted and normalised to UTC. */
  @Test
  void offsetTimesAreAccepted() {
    // GIVEN an expiry written with an offset
    JsonObject body = body().put("strategy", new JsonObject().put("expiresAt", "2026-03-02T14:00:00+02:00"));

    // WHEN it is parsed
    // THEN it is the same instant in UTC
    assertThat(RolloutSpec.parse(body, NOW, DAY).strategy().expiresAt()).isEqualTo(Instant.parse("2026-03-02T12:00:00Z"));
  }

  static Stream<Arguments> invalidBodies() {
    return Stream.of(
        // top level
        Arguments.of(body().put("colour", "blue"), "colour", "unknown field"),
        Arguments.of(body().put("name", ""), "name", "must not be empty"),
        Arguments.of(body().put("name", 7), "name", "must be a string"),
        Arguments.of(body().put("name", "x".repeat(201)), "name", "at most 200"),
        Arguments.of(body().put("steps", new JsonArray()), "steps", "at least one step"),
        Arguments.of(body().put("steps", "exec"), "steps", "must be an array"),
        Arguments.of(body().put("steps", new JsonArray().add("exec")), "steps[0]", "must be an object"),
        Arguments.of(body().put("steps", arrayOf(21, exec())), "steps", "at most 20"),
        // steps
        Arguments.of(step(exec().put("retries", 3)), "steps[0].retries", "unknown field"),
        Arguments.of(step(new JsonObject().put("spec", new JsonObject())), "steps[0].kind", "is required"),
        Arguments.of(step(new JsonObject().put("kind", "format-disk")), "steps[0].kind",
            "must be one of agentUpdate, exec, install, inventory, power, service"),
        Arguments.of(step(new JsonObject().put("kind", "agentUpdate").put("spec", new JsonObject().put("version", "2.0")
            .put("url", "https://gw/x.jar").put("sha256", "ab".repeat(32)).put("size", 10).put("keyId", "k"))),
            "steps[0].spec.signature", "is required"),
        Arguments.of(step(exec().put("continueOn", "sometimes")), "steps[0].continueOn",
            "must be one of success, failure, always"),
        Arguments.of(step(exec().put("spec", "rm")), "steps[0].spec", "must be an object"),
        // exec
        Arguments.of(step(kind("exec", new JsonObject())), "steps[0].spec.command", "is required"),
        Arguments.of(step(kind("exec", new JsonObject().put("command", "x").put("args", "a b"))), "steps[0].spec.args",
            "must be an array"),
        Arguments.of(step(kind("exec", new JsonObject().put("command", "x").put("args", new JsonArray().add(1)))),
            "steps[0].spec.args[0]", "non-empty string"),
        Arguments.of(step(kind("exec", new JsonObject().put("command", "x").put("shell", "yes"))), "steps[0].spec.shell",
            "true or false"),
        Arguments.of(step(kind("exec", new JsonObject().put("command", "x").put("timeoutSeconds", 0))),
            "steps[0].spec.timeoutSeconds", "between 1 and"),
        Arguments.of(step(kind("exec", new JsonObject().put("command", "x").put("timeoutSeconds", 1.5))),
            "steps[0].spec.timeoutSeconds", "must be an integer"),
        Arguments.of(step(kind("exec", new JsonObject().put("command", "x").put("env", new JsonObject().put("A", 1)))),
            "steps[0].spec.env.A", "must be a string"),
        Arguments.of(step(kind("exec", new JsonObject().put("command", "x").put("cwd", "/"))), "steps[0].spec.cwd",
            "unknown field"),
        // install
        Arguments.of(step(kind("install", new JsonObject().put("url", "https://x/p.msi"))), "steps[0].spec.sha256",
            "is required"),
        Arguments.of(step(kind("install", new JsonObject().put("url", "https://x/p.msi").put("sha256", "abc"))),
            "steps[0].spec.sha256", "64 hex digits"),
        Arguments.of(step(kind("install", new JsonObject().put("url", "https://x/p.msi").put("sha256", "g".repeat(64)))),
            "steps[0].spec.sha256", "64 hex digits"),
        Arguments.of(step(kind("install", new JsonObject().put("url", "https://x/p.msi").put("sha256", SHA + "0"))),
            "steps[0].spec.sha256", "at most 64"),
        Arguments.of(step(kind("install", new JsonObject().put("url", "ftp://x/p.msi").put("sha256", SHA))),
            "steps[0].spec.url", "http(s) URL"),
        Arguments.of(step(kind("install", new JsonObject().put("sha256", SHA))), "steps[0].spec.url", "is required"),
        Arguments.of(step(kind("install", new JsonObject().put("url", "https://x").put("sha256", SHA).put("size", -1))),
            "steps[0].spec.size", "between 0 and"),
        // service
        Arguments.of(step(kind("service", new JsonObject().put("name", "spooler").put("action", "kill"))),
            "steps[0].spec.action", "must be one of start, stop, restart, status"),
        Arguments.of(step(kind("service", new JsonObject().put("action", "start"))), "steps[0].spec.name", "is required"),
        Arguments.of(step(kind("service", new JsonObject().put("name", "spooler"))), "steps[0].spec.action", "is required"),
        // a name the agent would take for an option is refused here as well (one descriptor for both sides)
        Arguments.of(step(kind("service", new JsonObject().put("name", "--now").put("action", "stop"))),
            "steps[0].spec.name", "must be a service name"),
        // power
        Arguments.of(step(kind("power", new JsonObject().put("action", "hibernate"))), "steps[0].spec.action",
            "must be one of reboot, shutdown, logoff"),
        Arguments.of(step(kind("power", new JsonObject().put("action", "reboot").put("delaySeconds", 90_000))),
            "steps[0].spec.delaySeconds", "between 0 and 86400"),
        Arguments.of(step(kind("power", new JsonObject().put("action", "reboot").put("onlyIfNoUser", "true"))),
            "steps[0].spec.onlyIfNoUser", "true or false"),
        Arguments.of(step(kind("power", new JsonObject())), "steps[0].spec.action", "is required"),
        // inventory
        Arguments.of(step(kind("inventory", new JsonObject().put("full", true))), "steps[0].spec.full", "unknown field"),
        // targets
        Arguments.of(without("targets"), "targets", "is required"),
        Arguments.of(body().put("targets", new JsonObject()), "targets", "must name agents, tags, reportedTags or subnets, or set all"),
        Arguments.of(body().put("targets", new JsonObject().put("all", false)), "targets", "must name agents"),
        Arguments.of(body().put("targets", new JsonObject().put("all", true).put("tags", new JsonArray().add("x"))),
            "targets.all", "cannot be combined"),
        Arguments.of(body().put("targets", new JsonObject().put("agents", new JsonArray().add("pc-17"))),
            "targets.agents[0]", "must be an agent id (UUID)"),
        Arguments.of(body().put("targets", new JsonObject().put("subnets", new JsonArray().add("10.20.0.0/33"))),
            "targets.subnets[0]", "CIDR"),
        Arguments.of(body().put("targets", new JsonObject().put("subnets", new JsonArray().add("branch"))),
            "targets.subnets[0]", "CIDR"),
        Arguments.of(body().put("targets", new JsonObject().put("tags", new JsonArray().add(""))), "targets.tags[0]",
            "non-empty string"),
        Arguments.of(body().put("targets", new JsonObject().put("hosts", new JsonArray().add("a"))), "targets.hosts",
            "unknown field"),
        Arguments.of(body().put("targets", new JsonObject().put("all", "yes")), "targets.all", "true or false"),
        // strategy
        Arguments.of(strategy(new JsonObject().put("batchSize", 5)), "strategy.batchSize", "unknown field"),
        Arguments.of(strategy(new JsonObject().put("waves", new JsonArray().add(10).add(5).add(100))), "strategy.waves[1]",
            "rising"),
        Arguments.of(strategy(new JsonObject().put("waves", new JsonArray().add(10).add(10).add(100))),
            "strategy.waves[1]", "rising"),
        Arguments.of(strategy(new JsonObject().put("waves", new JsonArray().add(0).add(100))), "strategy.waves[0]",
            "1..100"),
        Arguments.of(strategy(new JsonObject().put("waves", new JsonArray().add(10.5).add(100))), "strategy.waves[0]",
            "whole"),
        Arguments.of(strategy(new JsonObject().put("waves", new JsonArray().add(50).add(150))), "strategy.waves[1]",
            "1..100"),
        Arguments.of(strategy(new JsonObject().put("waves", new JsonArray().add("10").add(100))), "strategy.waves[0]",
            "whole"),
        Arguments.of(strategy(new JsonObject().put("waves", new JsonArray().add(10).add(50))), "strategy.waves",
            "the last wave must be 100"),
        Arguments.of(strategy(new JsonObject().put("maxInFlight", 0)), "strategy.maxInFlight", "between 1 and"),
        Arguments.of(strategy(new JsonObject().put("maxFailurePercent", 101)), "strategy.maxFailurePercent",
            "between 0.0 and 100.0"),
        Arguments.of(strategy(new JsonObject().put("maxFailurePercent", "5")), "strategy.maxFailurePercent",
            "must be a number"),
        Arguments.of(strategy(new JsonObject().put("expiresAt", "2026-03-01T11:59:59Z")), "strategy.expiresAt",
            "must be in the future"),
        Arguments.of(strategy(new JsonObject().put("expiresAt", "tomorrow")), "strategy.expiresAt", "RFC 3339"),
        Arguments.of(strategy(new JsonObject().put("startAfter", "2026-03-05T00:00:00Z")
            .put("expiresAt", "2026-03-04T00:00:00Z")), "strategy.expiresAt", "must be after startAfter"),
        Arguments.of(strategy(new JsonObject().put("startAfter", 1_700_000_000)), "strategy.startAfter", "RFC 3339"),
        Arguments.of(strategy(new JsonObject().put("wakeOffline", 1)), "strategy.wakeOffline", "true or false"),
        Arguments.of(body().put("strategy", new JsonArray()), "strategy", "must be an object"));
  }

  /** Each invalid part is reported as a 400 problem naming the field path as the client wrote it. */
  @ParameterizedTest
  @MethodSource("invalidBodies")
  void invalidFieldsAreNamed(JsonObject body, String field, String message) {
    // GIVEN a body with one invalid part
    // WHEN it is parsed
    List<FieldError> errors = errors(body);

    // THEN that field is reported with a message saying what is expected
    assertThat(errors).as(body.encode()).anySatisfy(e -> {
      assertThat(e.field()).isEqualTo(field);
      assertThat(e.message()).contains(message);
    });
  }

  /** A subnet with host bits set is refused at validation, not later by the database. */
  @ParameterizedTest
  @ValueSource(strings = {"10.20.0.1/16", "192.168.1.7/24", "2001:db8::1/64"})
  void subnetWithHostBitsIsRefused(String subnet) {
    // GIVEN targets naming a block with bits set right of the prefix (Postgres' cidr refuses those)
    JsonObject body = body().put("targets", new JsonObject().put("subnets", new JsonArray().add(subnet)));

    // WHEN it is parsed
    List<FieldError> errors = errors(body);

    // THEN the subnet is reported as invalid
    assertThat(errors).extracting(FieldError::field).containsExactly("targets.subnets[0]");
  }

  /** Every problem of a body is reported at once, not only the first. */
  @Test
  void allProblemsAtOnce() {
    // GIVEN a body with problems in every section
    JsonObject body = new JsonObject().put("steps", new JsonArray().add(new JsonObject().put("kind", "power")))
        .put("targets", new JsonObject()).put("strategy", new JsonObject().put("maxInFlight", -1)).put("extra", 1);

    // WHEN it is parsed
    DomainError p = catchThrowableOfType(DomainError.class, () -> RolloutSpec.parse(body, NOW, DAY));

    // THEN each is listed, and the detail counts them
    assertThat(p.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("extra", "name",
        "steps[0].spec.action", "targets", "strategy.maxInFlight");
    assertThat(p.getMessage()).isEqualTo("5 fields are invalid");
    assertThat(Problem.from(p).toJson().getJsonArray("errors")).hasSize(5);
  }

  /** A missing or empty body is refused field by field. */
  @Test
  void emptyBody() {
    // GIVEN no body at all, and an empty object
    // WHEN they are parsed
    // THEN name, steps and targets are reported as required
    for (JsonObject b : new JsonObject[] {null, new JsonObject()}) {
      assertThat(errors(b)).extracting(FieldError::field).containsExactlyInAnyOrder("name", "steps", "targets");
    }
  }

  /** Each task kind with a valid spec is accepted, and a step without spec gets an empty one. */
  @Test
  void validKinds() {
    // GIVEN one step of each kind
    JsonArray steps = new JsonArray()
        .add(kind("exec", new JsonObject().put("command", "x").put("args", new JsonArray().add("-v")).put("shell", true)
            .put("timeoutSeconds", 60).put("env", new JsonObject().put("A", "b"))))
        .add(kind("install", new JsonObject().put("url", "https://repo/p.msi").put("sha256", SHA.toUpperCase())
            .put("size", 1024).put("command", "msiexec").put("args", new JsonArray().add("/qn")).put("timeoutSeconds", 600)))
        .add(kind("service", new JsonObject().put("name", "spooler").put("action", "restart")))
        .add(kind("power", new JsonObject().put("action", "shutdown").put("delaySeconds", 60).put("onlyIfNoUser", true)
            .put("message", "bye")))
        .add(new JsonObject().put("kind", "inventory").put("continueOn", "always"))
        .add(kind("exec", new JsonObject().put("command", "cleanup")).put("continueOn", "failure"));

    // WHEN they are parsed
    RolloutSpec spec = RolloutSpec.parse(body().put("steps", steps), NOW, DAY);

    // THEN all six steps are there with their continueOn, and inventory has an empty spec
    assertThat(spec.steps()).extracting(StepSpec::kind)
        .containsExactly("exec", "install", "service", "power", "inventory", "exec");
    assertThat(spec.steps()).extracting(StepSpec::continueOn)
        .containsExactly("success", "success", "success", "success", "always", "failure");
    assertThat(spec.steps().get(4).spec()).isEqualTo(new JsonObject());
  }

  /** An install of more than 2 GiB is a valid size, as the agent has always read it. */
  @Test
  void installSizeBeyondAnInt() {
    // GIVEN an install step of a 5 GB image
    JsonObject install = kind("install", new JsonObject().put("url", "https://repo/image.iso").put("sha256", SHA)
        .put("size", 5_000_000_000L));

    // WHEN it is parsed
    RolloutSpec spec = RolloutSpec.parse(body().put("steps", new JsonArray().add(install)), NOW, DAY);

    // THEN it is accepted as written
    assertThat(spec.steps().get(0).spec().getLong("size")).isEqualTo(5_000_000_000L);
  }

  /** Explicit agents, all, and mixed targets parse into the target spec and its signed scope. */
  @Test
  void targets() {
    // GIVEN targets naming agents, tags and subnets; and targets taking everyone
    JsonObject mixed = body().put("targets", new JsonObject().put("agents", new JsonArray().add(AGENT))
        .put("tags", new JsonArray().add("a").add("b")).put("subnets", new JsonArray().add("10.0.0.0/8").add("fe80::/10")));
    JsonObject all = body().put("targets", new JsonObject().put("all", true));

    // WHEN they are parsed
    TargetSpec m = RolloutSpec.parse(mixed, NOW, DAY).targets();
    TargetSpec a = RolloutSpec.parse(all, NOW, DAY).targets();

    // THEN the lists are kept, and the scope says what the task is for
    assertThat(m).isEqualTo(new TargetSpec(List.of(AGENT), List.of("a", "b"), List.of(), List.of("10.0.0.0/8", "fe80::/10"), false));
    assertThat(m.scope().fieldNames()).containsExactlyInAnyOrder("agents", "tags", "subnets");
    assertThat(a.all()).isTrue();
    assertThat(a.scope()).isEqualTo(new JsonObject().put("all", true));
  }

  /** An agent id typed in upper case is accepted and kept in canonical lower case, in the targets and the signed scope. */
  @Test
  void agentIdsAreCanonical() {
    JsonObject b = body().put("targets", new JsonObject().put("agents", new JsonArray().add(AGENT.toUpperCase())));
    TargetSpec t = RolloutSpec.parse(b, NOW, DAY).targets();
    assertThat(t.agents()).containsExactly(AGENT);
    assertThat(t.scope().getJsonArray("agents").getString(0)).isEqualTo(AGENT);
  }

  /** Short forms that {@code UUID.fromString} would accept are not agent ids. */
  @Test
  void shortUuidFormsAreRefused() {
    JsonObject b = body().put("targets", new JsonObject().put("agents", new JsonArray().add("1-2-3-4-5")));
    assertThat(errors(b)).extracting(FieldError::field).contains("targets.agents[0]");
  }

  /** Self-reported tags are a separate, explicit selector and are signed under their own name. */
  @Test
  void reportedTagsAreASeparateSelector() {
    JsonObject b = body().put("targets", new JsonObject().put("reportedTags", new JsonArray().add("kiosk")));
    TargetSpec t = RolloutSpec.parse(b, NOW, DAY).targets();
    assertThat(t.tags()).isEmpty();
    assertThat(t.reportedTags()).containsExactly("kiosk");
    assertThat(t.scope()).isEqualTo(new JsonObject().put("reportedTags", new JsonArray().add("kiosk")));
  }

  private static JsonObject kind(String kind, JsonObject spec) {
    return new JsonObject().put("kind", kind).put("spec", spec);
  }

  private static JsonObject step(JsonObject step) {
    return body().put("steps", new JsonArray().add(step));
  }

  private static JsonObject strategy(JsonObject strategy) {
    return body().put("strategy", strategy);
  }

  private static JsonObject without(String field) {
    JsonObject b = body();
    b.remove(field);
    return b;
  }

  private static JsonArray arrayOf(int n, JsonObject item) {
    JsonArray a = new JsonArray();
    for (int i = 0; i < n; i++) {
      a.add(item.copy());
    }
    return a;
  }
}
