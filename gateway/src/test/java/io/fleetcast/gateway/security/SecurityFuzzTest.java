package io.fleetcast.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.error.DomainError;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.rollout.RolloutSpec;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.FuzzInputs;
import io.fleetcast.gateway.testing.SharedTestServer;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.ProtocolException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Property-based fuzzing (jqwik) of what hostile peers control: the agent channel's frame
 * parser (both directions) and the validation of API bodies. Each property has a fixed seed, so
 * CI runs the same inputs every time; run more by hand with
 * {@code mvn -pl gateway test -Dtest=SecurityFuzzTest -Djqwik.tries.default=20000} (about 6 minutes;
 * add {@code -Djqwik.reporting.onlyfailures=false} to see what kinds of input were generated).
 * The HTTP-level property posts generated bodies to every POST route of a running server
 * (SharedTestServer) and accepts nothing at or above 500.
 */
class SecurityFuzzTest {
  /** Parsing runs here so that a hang is reported as a failure instead of stalling the build. */
  private static final ExecutorService PARSER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "fuzz-parser");
    t.setDaemon(true);
    return t;
  });
  private static final long LIMIT_MILLIS = 2000;

  private static Api admin;
  private static String enrollmentToken;

  @AfterContainer
  static void stopParser() {
    PARSER.shutdownNow();
  }

  @Provide
  Arbitrary<Tuple.Tuple2<String, String>> postRequests() {
    List<Arbitrary<Tuple.Tuple2<String, String>>> routes = new ArrayList<>();
    FuzzInputs.postBodies().forEach((path, bodies) -> routes.add(bodies.map(b -> Tuple.of(path, b.encode()))));
    routes.add(FuzzInputs.frames(FuzzInputs.agentMessages()).map(text -> Tuple.of("/api/v1/rollouts", text)));
    return Arbitraries.oneOf(routes);
  }

  /**
   * Every POST route of a running server answers generated bodies (near-valid ones, hostile
   * ones, and text that is not JSON) below 500, and every refusal is problem+json. Valid bodies
   * do create rollouts, schedules and tokens on the shared server (its agents are protocol-level
   * fakes that run nothing).
   */
  @Property(seed = "20261126", edgeCases = EdgeCasesMode.NONE, tries = 400) // HTTP round trips: fewer tries
  void postRoutesAnswerBelow500(@ForAll("postRequests") Tuple.Tuple2<String, String> request) {
    String path = request.get1();
    String body = request.get2();
    Api caller = path.equals("/api/v1/enroll") ? admin().as(enrollmentToken) : admin();
    Api.Res r = caller.post(path, body);
    Statistics.collect(path, r.status());
    assertThat(r.status()).as("POST %s %s -> %s", path, body, r.body()).isLessThan(500);
    if (r.status() >= 400) {
      assertThat(r.header("Content-Type")).as("POST %s %s", path, body).isEqualTo("application/problem+json");
    }
  }

  private static synchronized Api admin() {
    if (admin == null) {
      TestServer server = SharedTestServer.get();
      admin = new Api(server.apiUrl(), server.adminToken());
      enrollmentToken = admin.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", 10_000_000)).json()
          .getString("token");
    }
    return admin;
  }

  @Provide
  Arbitrary<String> agentFrames() {
    return FuzzInputs.frames(FuzzInputs.agentMessages());
  }

  @Provide
  Arbitrary<String> nodeFrames() {
    return FuzzInputs.frames(FuzzInputs.nodeMessages());
  }

  @Provide
  Arbitrary<JsonObject> rolloutBodies() {
    return FuzzInputs.rolloutBodies();
  }

  /**
   * The node's parser of agent frames answers every input with a message or a
   * ProtocolException (which the node turns into a close code), never anything else and never
   * slowly; a message it accepts survives encoding and decoding unchanged.
   */
  @Property(seed = "20261123", edgeCases = EdgeCasesMode.NONE) // the generators inject extremes themselves
  void agentFramesParseToAMessageOrAProtocolException(@ForAll("agentFrames") String frame) {
    Object out = withinLimit(() -> {
      try {
        return AgentMessage.decode(frame);
      } catch (ProtocolException e) {
        return e;
      }
    }, frame);
    if (out instanceof AgentMessage m) {
      Statistics.collect(m.getClass().getSimpleName());
      assertThat(AgentMessage.decode(m.encode())).as("round trip of %s", frame).isEqualTo(m);
    } else {
      ProtocolException e = (ProtocolException) out;
      Statistics.collect(e.reason().label());
      assertThat(e.closeCode()).isIn(1003, 1007, 1008, 1009);
    }
  }

  /** The agent's parser of node frames (a hostile node's input) answers the same way. */
  @Property(seed = "20261124", edgeCases = EdgeCasesMode.NONE)
  void nodeFramesParseToAMessageOrAProtocolException(@ForAll("nodeFrames") String frame) {
    Object out = withinLimit(() -> {
      try {
        return NodeMessage.decode(frame);
      } catch (ProtocolException e) {
        return e;
      }
    }, frame);
    Statistics.collect(out instanceof ProtocolException e ? e.reason().label() + " " + e.getMessage().replaceAll("'.*", "")
        : out.getClass().getSimpleName());
  }

  /**
   * Rollout validation answers every body with a rollout or a 400 problem listing the bad
   * fields: never another exception (which the API would turn into a 500), never slowly.
   */
  @Property(seed = "20261125", edgeCases = EdgeCasesMode.NONE)
  void rolloutBodiesAreAcceptedOrRefusedWith400(@ForAll("rolloutBodies") JsonObject body) {
    Object out = withinLimit(() -> {
      try {
        return RolloutSpec.parse(body, Instant.now(), Duration.ofHours(24));
      } catch (DomainError p) {
        return p;
      }
    }, body.encode());
    Statistics.collect(out instanceof DomainError p ? "400 " + p.errors().get(0).field().replaceAll("\\[\\d+]", "[]")
        : "accepted");
    if (out instanceof DomainError p) {
      assertThat(Problem.from(p).status()).as("status for %s", body.encode()).isEqualTo(400);
      assertThat(p.errors()).as("field errors for %s", body.encode()).isNotEmpty();
    } else {
      RolloutSpec spec = (RolloutSpec) out;
      assertThat(spec.steps()).isNotEmpty();
      assertThat(spec.name()).isNotBlank();
      assertThat(spec.strategy().expiresAt()).isAfter(Instant.now().minusSeconds(5));
    }
  }

  /** Runs {@code parse} on the parser thread; fails on any unexpected exception or when it takes too long. */
  private static Object withinLimit(Callable<Object> parse, String input) {
    Future<Object> f = PARSER.submit(parse);
    try {
      return f.get(LIMIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AssertionError("no answer within " + LIMIT_MILLIS + " ms for input of " + input.length()
          + " chars: " + abbreviate(input));
    } catch (ExecutionException e) {
      throw new AssertionError("unexpected " + e.getCause() + " for input " + abbreviate(input), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...(" + s.length() + " chars)";
  }
}
