package io.fleetcast.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.fleetcast.common.db.PgUrl;
import io.fleetcast.gateway.audit.AuditHashForTests;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.DbSnapshot;
import io.fleetcast.gateway.testing.FakeAgent;
import io.fleetcast.gateway.testing.RawWebSocket;
import io.fleetcast.gateway.testing.RoleTable;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.Facts;
import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.TaskStatus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * The hostile-input table (issue 7): each bad input on the agent channel, the enrollment
 * endpoint and the ops API, the answer it must get, and after each one: no stored row changed
 * (row count and content hash of every table that holds the truth) and a bystander agent still
 * receives and completes a task. Plus the checks that need more than one request: revocation
 * cluster-wide, every mutating route against the role table, the rate limit, the audit chain.
 */
@Timeout(300)
class HostileInputTest {
  static TestServer server;
  static Vertx vertx;
  static Api api;
  static PgUrl db;
  static FakeAgent bystander;

  @BeforeAll
  static void start() {
    // the product's default API rate limit, so that the 429 check tests what ships
    server = TestServer.start(Map.of("api.rateLimitPerSecond", 50, "rollouts.tickMillis", 100));
    vertx = Vertx.vertx();
    api = new Api(server.apiUrl(), server.adminToken());
    db = server.db().url();
    bystander = FakeAgent.fromEnrollment(vertx, api.enroll(1, "bystander").get(0));
    bystander.connect(server.agentUrl()).await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    server.close();
  }

  /** One row of the table: what to set up first (not part of the check), then the attack yielding the answer. */
  record Case(String input, String expected, Supplier<Callable<String>> prepare) {
    static Case of(String input, String expected, Supplier<Callable<String>> prepare) {
      return new Case(input, expected, prepare);
    }

    static Case now(String input, String expected, Callable<String> attack) {
      return new Case(input, expected, () -> attack);
    }
  }

  List<Case> table() {
    List<Case> t = new ArrayList<>();
    // --- the upgrade: credentials are checked before any WebSocket exists
    t.add(Case.now("upgrade without a credential", "HTTP 401", () -> upgrade(null)));
    t.add(Case.now("upgrade with a malformed credential", "HTTP 401", () -> upgrade("garbage")));
    t.add(Case.of("upgrade with a wrong secret", "HTTP 401", () -> {
      JsonObject a = enrolled();
      return () -> upgrade(a.getString("agentId") + ".wrong-secret");
    }));
    t.add(Case.of("upgrade with another agent's secret", "HTTP 401", () -> {
      JsonObject a = enrolled();
      JsonObject b = enrolled();
      return () -> upgrade(a.getString("agentId") + "." + b.getString("agentSecret"));
    }));
    t.add(Case.of("upgrade with a secret for a non-UUID id", "HTTP 401", () -> {
      JsonObject a = enrolled();
      // (an upper-case spelling of the real id names the same agent since issue 11 #6; without dashes it is no UUID)
      return () -> upgrade(a.getString("agentId").replace("-", "") + "." + a.getString("agentSecret"));
    }));
    t.add(Case.of("upgrade of a revoked agent", "HTTP 403", () -> {
      JsonObject a = enrolled();
      assertThat(api.delete("/api/v1/agents/" + a.getString("agentId")).status()).isEqualTo(204);
      String bearer = credential(a);
      Waits.until(() -> status(bearer) == 403 ? true : null, Duration.ofSeconds(5));
      return () -> upgrade(bearer);
    }));
    // --- enrollment
    t.add(Case.of("enrollment with an expired token", "HTTP 401 enrollment token expired", () -> {
      JsonObject tok = enrollmentToken(new JsonObject().put("maxUses", 5));
      DbSnapshot.exec(db, "UPDATE enrollment_tokens SET expires_at = now() - interval '1 minute' WHERE id = '"
          + tok.getString("id") + "'");
      return () -> enroll(tok.getString("token"), new JsonObject().put("hostname", "late"));
    }));
    t.add(Case.of("enrollment with a used-up token", "HTTP 401 enrollment token used up", () -> {
      JsonObject tok = enrollmentToken(new JsonObject().put("maxUses", 1));
      assertThat(enroll(tok.getString("token"), new JsonObject().put("hostname", "first"))).startsWith("HTTP 201");
      return () -> enroll(tok.getString("token"), new JsonObject().put("hostname", "second"));
    }));
    t.add(Case.of("enrollment from an address outside the token's CIDRs", "HTTP 403 enrollment from 127.0.0.1 is not "
        + "allowed by this token", () -> {
          JsonObject tok = enrollmentToken(new JsonObject().put("maxUses", 5)
              .put("allowedCidrs", new JsonArray().add("10.0.0.0/8").add("192.168.0.0/16")));
          return () -> enroll(tok.getString("token"), new JsonObject().put("hostname", "outsider"));
        }));
    t.add(Case.now("enrollment with an unknown token", "HTTP 401 unknown enrollment token",
        () -> enroll("fce_" + "x".repeat(43), new JsonObject().put("hostname", "nobody"))));
    t.add(Case.of("enrollment body with wrong field types (no use is consumed)", "HTTP 400 hostname: must be a string",
        () -> {
          JsonObject tok = enrollmentToken(new JsonObject().put("maxUses", 1));
          return () -> enroll(tok.getString("token"), new JsonObject().put("hostname", 5));
        }));
    t.add(Case.of("enrollment hostname with a NUL character", "HTTP 400", () -> {
      JsonObject tok = enrollmentToken(new JsonObject().put("maxUses", 1));
      return () -> statusOnly(api.as(tok.getString("token")).post("/api/v1/enroll",
          new JsonObject().put("hostname", "a\u0000b")));
    }));
    // --- frames
    t.add(Case.of("text frame with invalid UTF-8", "close 1007 invalid_utf8", () -> {
      RawWebSocket ws = helloed(enrolled());
      return () -> closeAfter(ws, RawWebSocket.TEXT, new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xc3, 0x28, '"', '}'});
    }));
    t.add(Case.of("invalid JSON", "close 1007 invalid_json", () -> {
      RawWebSocket ws = helloed(enrolled());
      return () -> closeAfter(ws, "{not json");
    }));
    t.add(Case.of("deeply nested JSON (5,000 levels)", "close 1007 invalid_json", () -> {
      RawWebSocket ws = helloed(enrolled());
      return () -> closeAfter(ws, "{\"type\":\"facts\",\"facts\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
    }));
    t.add(Case.of("a JSON array instead of an object", "close 1007 invalid_json", () -> {
      RawWebSocket ws = helloed(enrolled());
      return () -> closeAfter(ws, "[{\"type\":\"ack\",\"taskId\":\"t\"}]");
    }));
    t.add(Case.of("oversized frame (70 KB > 64 KiB)", "close 1009 too_big", () -> {
      RawWebSocket ws = helloed(enrolled());
      return () -> closeAfter(ws, "{\"type\":\"ack\",\"taskId\":\"" + "x".repeat(70_000) + "\"}");
    }));
    t.add(Case.of("wrong field type (taskId is a number)", "close 1008 invalid_field", () -> {
      RawWebSocket ws = helloed(enrolled());
      return () -> closeAfter(ws, "{\"type\":\"result\",\"taskId\":5,\"status\":\"succeeded\"}");
    }));
    t.add(Case.of("wrong field type (percent is text)", "close 1008 invalid_field", () -> {
      RawWebSocket ws = helloed(enrolled());
      return () -> closeAfter(ws, "{\"type\":\"progress\",\"taskId\":\"t\",\"percent\":\"lots\"}");
    }));
    t.add(Case.of("wrong field type in facts (ips is a number): facts not stored", "close 1008 invalid_field", () -> {
      RawWebSocket ws = helloed(enrolled());
      return () -> closeAfter(ws, "{\"type\":\"facts\",\"facts\":{\"hostname\":\"evil\",\"ips\":5}}");
    }));
    t.add(Case.of("missing required field", "close 1008 missing_field", () -> {
      RawWebSocket ws = helloed(enrolled());
      return () -> closeAfter(ws, "{\"type\":\"result\",\"status\":\"succeeded\"}");
    }));
    t.add(Case.of("first message is not hello", "close 1008 unexpected_message", () -> {
      RawWebSocket ws = upgraded(enrolled());
      return () -> closeAfter(ws, "{\"type\":\"ack\",\"taskId\":\"t1\"}");
    }));
    t.add(Case.of("hello naming another agent", "close 1008 invalid_field", () -> {
      JsonObject a = enrolled();
      JsonObject b = enrolled();
      RawWebSocket ws = upgraded(a);
      return () -> closeAfter(ws, new AgentMessage.Hello(b.getString("agentId"), "raw/1", Facts.EMPTY).encode());
    }));
    t.add(Case.of("binary frame", "close 1003 binary_frame", () -> {
      RawWebSocket ws = helloed(enrolled());
      return () -> closeAfter(ws, RawWebSocket.BINARY, new byte[] {1, 2, 3});
    }));
    t.add(Case.of("unknown message type (forward compatibility)", "ignored, connection open, counted", () -> {
      RawWebSocket ws = helloed(enrolled());
      return () -> {
        double before = metric("fleetcast_agent_messages_in_total{role=\"standalone\",type=\"unknown\"");
        ws.sendText("{\"type\":\"fromTheFuture\",\"x\":1}");
        String open = stillOpen(ws);
        Waits.until(() -> metric("fleetcast_agent_messages_in_total{role=\"standalone\",type=\"unknown\"") > before
            ? true : null, Duration.ofSeconds(5));
        ws.close();
        return open + ", counted";
      };
    }));
    t.add(Case.of("ack for a task never sent", "ignored, connection open", () -> {
      RawWebSocket ws = helloed(enrolled());
      return () -> {
        ws.sendText(new AgentMessage.Ack(UUID.randomUUID().toString()).encode());
        String open = stillOpen(ws);
        ws.close();
        return open;
      };
    }));
    t.add(Case.of("result for a task the agent was never sent", "resultAck stored=false", () -> {
      RawWebSocket ws = helloed(enrolled());
      return () -> resultAnswer(ws, UUID.randomUUID().toString());
    }));
    t.add(Case.of("result for another agent's task", "resultAck stored=false", () -> {
      String othersTask = completedTaskOf(enrolledAndConnected());
      RawWebSocket ws = helloed(enrolled());
      return () -> resultAnswer(ws, othersTask);
    }));
    t.add(Case.of("the same result again (duplicate): acknowledged, changes nothing", "resultAck stored=true", () -> {
      JsonObject owner = enrolled();
      FakeAgent a = FakeAgent.fromEnrollment(vertx, owner);
      a.connect(server.agentUrl()).await();
      String task = completedTaskOf(a);
      a.close().await();
      RawWebSocket ws = helloed(owner);
      return () -> resultAnswer(ws, task);
    }));
    t.add(Case.of("a second live connection with the same credential (a clone)", "older closed 4000, counted", () -> {
      JsonObject a = enrolled();
      RawWebSocket first = helloed(a);
      return () -> {
        double before = metric("fleetcast_agent_duplicate_sessions_total");
        RawWebSocket second = helloed(a);
        int code = first.awaitCloseCode();
        first.close();
        second.close();
        Waits.until(() -> metric("fleetcast_agent_duplicate_sessions_total") > before ? true : null,
            Duration.ofSeconds(5));
        return "older closed " + code + ", counted";
      };
    }));
    // --- the ops API
    t.add(Case.now("API call without a token", "HTTP 401 problem+json", () -> answer(api.as(null).get("/api/v1/rollouts"))));
    t.add(Case.now("API call with an unknown token", "HTTP 401 problem+json",
        () -> answer(api.as("fct_" + "n".repeat(43)).get("/api/v1/rollouts"))));
    t.add(Case.now("oversized API body (2 MB)", "HTTP 413 problem+json",
        () -> answer(oversized(() -> api.post("/api/v1/rollouts", "{\"name\":\"" + "x".repeat(2_000_000) + "\"}")))));
    t.add(Case.now("API body that is not JSON", "HTTP 400 problem+json", () -> answer(api.post("/api/v1/rollouts", "{not json"))));
    t.add(Case.now("API body nested 5,000 levels deep", "HTTP 400 problem+json",
        () -> answer(api.post("/api/v1/rollouts", "{\"name\":" + "[".repeat(5000) + "]".repeat(5000) + "}"))));
    t.add(Case.now("API body with wrong field types", "HTTP 400 problem+json [name, steps[0].spec.command, "
        + "strategy.bogus, strategy.maxInFlight, targets.subnets[0]]", () -> {
          Api.Res r = api.post("/api/v1/rollouts", new JsonObject().put("name", 5)
              .put("steps", new JsonArray().add(new JsonObject().put("kind", "exec").put("spec", new JsonObject())))
              .put("targets", new JsonObject().put("subnets", new JsonArray().add("10.0.0.0/99")))
              .put("strategy", new JsonObject().put("maxInFlight", -1).put("bogus", true)));
          List<String> fields = new ArrayList<>(r.json().getJsonArray("errors").stream()
              .map(o -> ((JsonObject) o).getString("field")).toList());
          fields.sort(null);
          return answer(r) + " " + fields;
        }));
    t.add(Case.now("API body with a number too large for any field", "HTTP 400 problem+json",
        () -> answer(api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject().put("all", true)).encode()
            .replace("\"targets\"", "\"strategy\":{\"maxInFlight\":1e400},\"targets\"")))));
    t.add(Case.now("rollout name with a NUL character", "HTTP 400 problem+json",
        () -> answer(api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject().put("agents",
            new JsonArray().add(bystander.id()))).put("name", "evil\u0000name")))));
    t.add(Case.now("task spec with a NUL character", "HTTP 400 problem+json", () -> {
      JsonObject spec = new JsonObject().put("command", "echo").put("args", new JsonArray().add("a\u0000b"));
      JsonObject body = new JsonObject().put("name", "nul in spec")
          .put("steps", new JsonArray().add(new JsonObject().put("kind", "exec").put("spec", spec)))
          .put("targets", new JsonObject().put("agents", new JsonArray().add(bystander.id())));
      return answer(api.post("/api/v1/rollouts", body));
    }));
    t.add(Case.now("rollout expiring in the year 300000 (not RFC 3339, beyond what Postgres stores)",
        "HTTP 400 problem+json",
        () -> answer(api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject().put("agents",
            new JsonArray().add(bystander.id()))).put("strategy", new JsonObject()
            .put("expiresAt", "+300000-01-01T00:00:00Z"))))));
    t.add(Case.now("enrollment token expiring in the year 300000", "HTTP 400 problem+json",
        () -> answer(api.post("/api/v1/enrollment-tokens", new JsonObject().put("expiresAt", "+300000-01-01T00:00:00Z")))));
    t.add(Case.now("rollout naming an agent that does not exist", "HTTP 400 problem+json",
        () -> answer(api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject()
            .put("agents", new JsonArray().add(UUID.randomUUID().toString())))))));
    t.add(Case.now("malformed ids and query parameters", "HTTP 404, 400, 400",
        () -> api.get("/api/v1/rollouts/not-a-uuid").status() == 404 ? "HTTP 404, "
            + api.get("/api/v1/rollouts?limit=0").status() + ", " + api.get("/api/v1/agents?subnet=10.0.0.0/99").status()
            : "HTTP " + api.get("/api/v1/rollouts/not-a-uuid").status()));
    return t;
  }

  /** Each row: the answer it must get, no stored row changed, and the bystander still gets its tasks. */
  @TestFactory
  Stream<DynamicTest> eachBadInputGetsItsAnswerAndChangesNothing() {
    return table().stream().map(c -> dynamicTest(c.input() + " -> " + c.expected(), () -> {
      Callable<String> attack = c.prepare().get();
      DbSnapshot before = DbSnapshot.settled(db);
      String answer = attack.call();
      assertThat(answer).as(c.input()).isEqualTo(c.expected());
      // settled() waits until two snapshots in a row agree, so late asynchronous writes are seen
      DbSnapshot after = DbSnapshot.settled(db);
      assertThat(after.changedSince(before)).as("tables changed by: " + c.input()).isEmpty();
      assertBystanderStillServed();
    }));
  }

  /**
   * Revoking an agent closes its live connection on another node (4003) and every node refuses
   * it; a revocation whose event-bus message is lost (written straight to the database) is
   * picked up by the periodic refresh too (nothing else could close that connection). Waits are
   * generous and no elapsed time is asserted: a loaded CI must not fail a correct server.
   */
  @Test
  void revocationClosesTheConnectionAndIsRefusedClusterWideWithinFiveSeconds() {
    var second = server.startMember(false, true, Map.of());
    try {
      String otherNode = "ws://127.0.0.1:" + second.node().port() + "/agent/v1";
      // GIVEN an agent connected to the second node, a gateway on the first
      JsonObject enrolled = enrolled();
      FakeAgent agent = FakeAgent.fromEnrollment(vertx, enrolled);
      agent.connect(otherNode).await();
      // WHEN an admin revokes it
      assertThat(api.delete("/api/v1/agents/" + agent.id()).status()).isEqualTo(204);
      // THEN its connection is closed with 4003 and both nodes refuse it
      // (the close code is there once the close handler ran, which can be just after isClosed())
      Waits.until(() -> agent.closeCode() != null ? true : null, Duration.ofSeconds(30));
      assertThat(agent.closeCode()).isEqualTo((short) 4003);
      String bearer = credential(enrolled);
      Waits.until(() -> status(bearer) == 403 && status(bearer, second.node().port()) == 403 ? true : null,
          Duration.ofSeconds(30));
      assertThat(api.delete("/api/v1/agents/" + agent.id()).status()).as("revoking twice").isEqualTo(404);

      // GIVEN another agent connected to the second node, WHEN it is revoked behind the event bus's back
      JsonObject quiet = enrolled();
      FakeAgent silent = FakeAgent.fromEnrollment(vertx, quiet);
      silent.connect(otherNode).await();
      DbSnapshot.exec(db, "UPDATE agents SET revoked_at = now() WHERE id = '" + silent.id() + "'");
      // THEN the periodic refresh closes it and refuses it cluster-wide
      Waits.until(() -> silent.closed() ? true : null, Duration.ofSeconds(30));
      Waits.until(() -> status(credential(quiet), second.node().port()) == 403 && status(credential(quiet)) == 403
          ? true : null, Duration.ofSeconds(30));
      assertBystanderStillServed();
    } finally {
      second.close();
    }
  }

  /**
   * Every route the API router has is in the role table of docs/security.md, with the role its
   * resource registered, and its minimum role is enforced: a viewer gets 403 on every operator and admin route, an operator on every
   * admin route; the role that is enough passes the check (the request then fails validation or
   * finds nothing, so nothing is changed).
   */
  @Test
  void everyRouteEnforcesTheRoleInTheTable() throws Exception {
    Map<String, String> table = RoleTable.fromDocs();
    Set<String> routes = RoleTable.fromRouter(server.runtime().gateway().api().router());
    assertThat(routes).as("routes mounted but missing from the role table in docs/security.md")
        .isSubsetOf(table.keySet());
    assertThat(table.keySet()).as("rows of the role table in docs/security.md with no such route")
        .isSubsetOf(routes);
    Map<String, String> registered = new java.util.TreeMap<>();
    server.runtime().gateway().api().roles().forEach((route, role) -> registered.put(route, role.wire()));
    Map<String, String> tokenRoutes = new java.util.TreeMap<>(table);
    tokenRoutes.values().removeIf(role -> !Set.of("viewer", "operator", "admin").contains(role));
    assertThat(registered).as("roles the API resources registered, against docs/security.md").isEqualTo(tokenRoutes);

    Api viewer = api.as(apiToken("viewer"));
    Api operator = api.as(apiToken("operator"));
    DbSnapshot before = DbSnapshot.settled(db);
    List<String> checked = new ArrayList<>();
    for (Map.Entry<String, String> row : table.entrySet()) {
      String role = row.getValue();
      if (!Set.of("viewer", "operator", "admin").contains(role)) {
        continue; // enrollment token, agent credential, none: not an API token route
      }
      String method = row.getKey().substring(0, row.getKey().indexOf(' '));
      String path = RoleTable.concrete(row.getKey().substring(row.getKey().indexOf(' ') + 1));
      Map<String, Api> callers = new HashMap<>(Map.of("viewer", viewer, "operator", operator, "admin", api));
      for (String caller : List.of("viewer", "operator", "admin")) {
        int status = call(callers.get(caller), method, path).status();
        boolean allowed = rank(caller) >= rank(role);
        if (allowed) {
          assertThat(status).as("%s %s as %s (needs %s)", method, path, caller, role).isNotIn(401, 403, 500);
        } else {
          assertThat(status).as("%s %s as %s (needs %s)", method, path, caller, role).isEqualTo(403);
        }
      }
      checked.add(row.getKey());
    }
    assertThat(checked).as("mutating routes checked").anyMatch(k -> k.startsWith("POST "))
        .anyMatch(k -> k.startsWith("DELETE "));
    assertThat(DbSnapshot.settled(db).changedSince(before)).as("the role checks changed stored rows").isEmpty();
  }

  /** A token over its rate gets 429 with Retry-After (problem+json); other tokens are unaffected; it recovers. */
  @Test
  void rateLimitAnswers429WithRetryAfter() throws Exception {
    Api viewer = api.as(apiToken("viewer"));
    Api.Res limited = null;
    int ok = 0;
    for (int i = 0; i < 400 && limited == null; i++) {
      Api.Res r = viewer.get("/api/v1/cluster");
      if (r.status() == 429) {
        limited = r;
      } else {
        assertThat(r.status()).isEqualTo(200);
        ok++;
      }
    }
    assertThat(limited).as("429 after %d requests", ok).isNotNull();
    assertThat(ok).as("the burst (2 x 50/s) is allowed first").isGreaterThanOrEqualTo(100);
    assertThat(limited.header("Content-Type")).isEqualTo("application/problem+json");
    int retryAfter = Integer.parseInt(limited.header("Retry-After"));
    assertThat(retryAfter).isBetween(1, 60);
    assertThat(api.get("/api/v1/cluster").status()).as("another token is not limited").isEqualTo(200);
    // not a synchronisation: the behaviour under test is "wait as told, then pass" (a slower
    // machine only waits longer, which refills more)
    Thread.sleep(retryAfter * 1000L + 100);
    assertThat(viewer.get("/api/v1/cluster").status()).as("after Retry-After").isEqualTo(200);
  }

  /**
   * GET /api/v1/audit/verify finds a row whose content was changed in the database, and a row
   * that was deleted; the chain is intact again once the row is restored.
   */
  @Test
  void auditVerifyDetectsAModifiedOrDeletedRow() {
    apiToken("viewer"); // at least a few audited changes exist
    JsonObject intact = api.get("/api/v1/audit/verify").json();
    assertThat(intact.getBoolean("intact")).isTrue();
    long rows = intact.getLong("checked");
    assertThat(rows).isGreaterThanOrEqualTo(3);
    String seq = DbSnapshot.queryOne(db, "SELECT seq FROM audit_log ORDER BY seq OFFSET 1 LIMIT 1");
    String actor = DbSnapshot.queryOne(db, "SELECT actor FROM audit_log WHERE seq = " + seq);
    String detail = DbSnapshot.queryOne(db, "SELECT detail::text FROM audit_log WHERE seq = " + seq);
    try {
      // WHEN someone with database access rewrites who did it
      DbSnapshot.exec(db, "UPDATE audit_log SET actor = 'someone else' WHERE seq = " + seq);
      JsonObject broken = api.get("/api/v1/audit/verify").json();
      // THEN verify names the row
      assertThat(broken.getBoolean("intact")).isFalse();
      assertThat(broken.getLong("brokenAt")).isEqualTo(Long.parseLong(seq));
      assertThat(broken.getString("reason")).contains("content");
      // and even recomputing that row's own hash does not hide it: the next row links to the old hash
      DbSnapshot.exec(db, "UPDATE audit_log SET detail = '{\"tampered\": true}' WHERE seq = " + seq);
      DbSnapshot.exec(db, "UPDATE audit_log SET hash = " + String.format(
          AuditHashForTests.EXPR, "prev_hash",
          "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')", "actor", "role", "action", "target",
          "remote", "detail::text") + " WHERE seq = " + seq);
      JsonObject relinked = api.get("/api/v1/audit/verify").json();
      assertThat(relinked.getBoolean("intact")).isFalse();
      assertThat(relinked.getLong("brokenAt")).isEqualTo(Long.parseLong(seq) + 1);
      assertThat(relinked.getString("reason")).contains("link");
    } finally {
      DbSnapshot.exec(db, "UPDATE audit_log SET actor = '" + actor.replace("'", "''") + "', detail = '"
          + detail.replace("'", "''") + "'::jsonb WHERE seq = " + seq);
      DbSnapshot.exec(db, "UPDATE audit_log SET hash = " + String.format(
          AuditHashForTests.EXPR, "prev_hash",
          "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')", "actor", "role", "action", "target",
          "remote", "detail::text") + " WHERE seq = " + seq);
    }
    assertThat(api.get("/api/v1/audit/verify").json().getBoolean("intact")).as("restored").isTrue();

    // a deleted row breaks the link of the row after it
    String last = DbSnapshot.queryOne(db, "SELECT max(seq) FROM audit_log");
    apiToken("viewer");
    String saved = DbSnapshot.queryOne(db, "SELECT row_to_json(a)::text FROM audit_log a WHERE seq = " + last);
    try {
      DbSnapshot.exec(db, "DELETE FROM audit_log WHERE seq = " + last);
      JsonObject gap = api.get("/api/v1/audit/verify").json();
      assertThat(gap.getBoolean("intact")).isFalse();
      assertThat(gap.getLong("brokenAt")).isGreaterThan(Long.parseLong(last));
      assertThat(gap.getString("reason")).contains("link");
    } finally {
      DbSnapshot.exec(db, "INSERT INTO audit_log SELECT * FROM json_populate_record(null::audit_log, '"
          + saved.replace("'", "''") + "'::json)");
    }
    assertThat(api.get("/api/v1/audit/verify").json().getBoolean("intact")).as("restored").isTrue();
    assertThat(api.as(apiToken("operator")).get("/api/v1/audit/verify").status()).as("operator").isEqualTo(403);
  }

  // ---- attacks and answers

  static JsonObject enrolled() {
    return api.enroll(1).get(0);
  }

  static FakeAgent enrolledAndConnected() {
    FakeAgent a = FakeAgent.fromEnrollment(vertx, enrolled());
    a.connect(server.agentUrl()).await();
    return a;
  }

  static String credential(JsonObject enrolled) {
    return enrolled.getString("agentId") + "." + enrolled.getString("agentSecret");
  }

  static String upgrade(String bearer) {
    return "HTTP " + status(bearer);
  }

  static int status(String bearer) {
    return status(bearer, server.agentPort());
  }

  static int status(String bearer, int port) {
    try (RawWebSocket ws = RawWebSocket.connect("127.0.0.1", port, "/agent/v1", bearer)) {
      return ws.status();
    }
  }

  static RawWebSocket upgraded(JsonObject enrolled) {
    RawWebSocket ws = RawWebSocket.connect("127.0.0.1", server.agentPort(), "/agent/v1", credential(enrolled));
    assertThat(ws.status()).as(ws.responseHead()).isEqualTo(101);
    return ws;
  }

  /** Upgraded, hello sent and welcome received. */
  static RawWebSocket helloed(JsonObject enrolled) {
    RawWebSocket ws = upgraded(enrolled);
    ws.sendText(new AgentMessage.Hello(enrolled.getString("agentId"), "raw/1", Facts.EMPTY).encode());
    assertThat(ws.awaitText("\"welcome\"")).as("welcome").isNotNull();
    return ws;
  }

  static String closeAfter(RawWebSocket ws, String text) {
    return closeAfter(ws, RawWebSocket.TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends one frame; the close code the node answers with and the rejection reason it counted. */
  static String closeAfter(RawWebSocket ws, int opcode, byte[] payload) {
    Map<String, Double> before = rejectedByReason();
    ws.send(opcode, payload);
    int code = ws.awaitCloseCode();
    ws.close();
    String[] reason = {""};
    try {
      Waits.until(() -> {
        Map<String, Double> now = rejectedByReason();
        for (Map.Entry<String, Double> e : now.entrySet()) {
          if (e.getValue() > before.getOrDefault(e.getKey(), 0.0)) {
            reason[0] = e.getKey();
            return true;
          }
        }
        return null;
      }, Duration.ofSeconds(5));
    } catch (AssertionError none) {
      reason[0] = "(not counted)";
    }
    return "close " + code + " " + reason[0];
  }

  /** After something the node should ignore: a ping still gets its pong. */
  static String stillOpen(RawWebSocket ws) {
    ws.send(RawWebSocket.PING, "still there?".getBytes(StandardCharsets.UTF_8));
    while (true) {
      RawWebSocket.Frame f = ws.read();
      if (f == null || f.opcode() == RawWebSocket.CLOSE) {
        return "closed" + (f == null ? "" : " " + f.closeCode());
      }
      if (f.opcode() == 0xA) {
        return "ignored, connection open";
      }
    }
  }

  static String resultAnswer(RawWebSocket ws, String taskId) {
    ws.sendText(new AgentMessage.Result(taskId, TaskStatus.SUCCEEDED, 0, "forged", Instant.now(), Instant.now()).encode());
    String ack = ws.awaitText("\"resultAck\"");
    ws.close();
    if (ack == null) {
      return "no resultAck";
    }
    return "resultAck stored=" + new JsonObject(ack).getBoolean("stored", true);
  }

  /** Runs a one-step rollout on the (auto-answering) agent and yields its task id once completed. */
  static String completedTaskOf(FakeAgent agent) {
    String id = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject()
        .put("agents", new JsonArray().add(agent.id())))).json().getString("id");
    Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(20));
    List<NodeMessage.Task> tasks = agent.tasks();
    return tasks.get(tasks.size() - 1).taskId();
  }

  static JsonObject enrollmentToken(JsonObject body) {
    Api.Res r = api.post("/api/v1/enrollment-tokens", body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  static String enroll(String token, JsonObject body) {
    Api.Res r = api.as(token).post("/api/v1/enroll", body);
    return "HTTP " + r.status() + (r.status() < 300 ? "" : " " + r.json().getString("detail"));
  }

  static String statusOnly(Api.Res r) {
    return "HTTP " + r.status();
  }

  static String answer(Api.Res r) {
    return "HTTP " + r.status() + ("application/problem+json".equals(r.header("Content-Type")) ? " problem+json" : "");
  }

  static String apiToken(String role) {
    Api.Res r = api.post("/api/v1/api-tokens", new JsonObject().put("name", role + "-" + UUID.randomUUID())
        .put("role", role));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("token");
  }

  static int rank(String role) {
    return switch (role) {
      case "viewer" -> 1;
      case "operator" -> 2;
      case "admin" -> 3;
      default -> 0;
    };
  }

  /** A request that passes the role check but cannot change anything: unknown ids, an invalid body. */
  static Api.Res call(Api as, String method, String path) {
    return switch (method) {
      case "GET" -> as.get(path);
      case "DELETE" -> as.delete(path);
      case "POST" -> as.post(path, new JsonObject().put("__probe", true));
      case "PUT" -> as.put(path, new JsonObject().put("__probe", true));
      case "PATCH" -> as.patch(path, new JsonObject().put("__probe", true));
      default -> throw new IllegalArgumentException(method);
    };
  }

  void assertBystanderStillServed() {
    assertThat(bystander.closed()).as("bystander connection").isFalse();
    Api.Res created = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject()
        .put("agents", new JsonArray().add(bystander.id()))));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Waits.rolloutState(api, created.json().getString("id"), Set.of("completed"), Duration.ofSeconds(20));
  }

  static Map<String, Double> rejectedByReason() {
    Map<String, Double> out = new HashMap<>();
    for (String line : new Api(server.apiUrl(), null).get("/metrics").body().split("\n")) {
      if (line.startsWith("fleetcast_agent_frames_rejected_total{")) {
        int r = line.indexOf("reason=\"");
        String reason = line.substring(r + 8, line.indexOf('"', r + 8));
        out.merge(reason, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
      }
    }
    return out;
  }

  /** Sum of the samples whose line starts with {@code prefix} (a metric name with its first labels). */
  static double metric(String prefix) {
    String text = new Api(server.apiUrl(), null).get("/metrics").body();
    String name = prefix.contains("{") ? prefix.substring(0, prefix.indexOf('{')) : prefix;
    double sum = 0;
    for (String line : text.split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      boolean all = true;
      if (prefix.contains("{")) {
        for (String label : prefix.substring(prefix.indexOf('{') + 1).split(",")) {
          all &= line.contains(label);
        }
      }
      if (all) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /**
   * The server answers 413 and closes while the client may still be sending the 2 MB; the close can
   * reach the client before it reads the answer (a reset). Asked again, the answer must still be 413.
   */
  private static Api.Res oversized(java.util.function.Supplier<Api.Res> post) {
    for (int attempt = 1; ; attempt++) {
      try {
        return post.get();
      } catch (java.io.UncheckedIOException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }
}
