package io.fleetcast.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.error.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The RFC 9457 problem body of every API error (SPEC section 2). */
@Timeout(10)
class ProblemTest {

  /** A validation problem has type, title, status, detail and errors[] of field and message. */
  @Test
  void validationProblemShape() {
    // GIVEN two invalid fields
    Problem p = Problem.invalid(List.of(new FieldError("name", "is required"),
        new FieldError("strategy.waves[1]", "waves are cumulative")));

    // WHEN it is rendered
    JsonObject j = p.toJson();

    // THEN it has exactly the specified members
    assertThat(j.fieldNames()).containsExactlyInAnyOrder("type", "title", "status", "detail", "errors");
    assertThat(j.getString("type")).startsWith("https://").endsWith("/invalid-request-body");
    assertThat(j.getString("title")).isEqualTo("Invalid request body");
    assertThat(j.getInteger("status")).isEqualTo(400);
    assertThat(j.getString("detail")).isEqualTo("2 fields are invalid");
    assertThat(j.getJsonArray("errors")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("field", "name").put("message", "is required"))
        .add(new JsonObject().put("field", "strategy.waves[1]").put("message", "waves are cumulative")));
  }

  /** A single invalid field is named in the detail itself. */
  @Test
  void singleFieldDetail() {
    // GIVEN one invalid field
    // WHEN the problem is rendered
    JsonObject j = Problem.invalid(List.of(new FieldError("targets", "is required"))).toJson();

    // THEN the detail says which and why
    assertThat(j.getString("detail")).isEqualTo("targets: is required");
  }

  /** Problems without field errors carry no errors member; status and retry hints are kept. */
  @Test
  void otherProblems() {
    // GIVEN the other kinds of problem
    // WHEN they are rendered
    JsonObject notFound = Problem.notFound("no rollout 42").toJson();
    Problem limited = Problem.tooManyRequests(3);
    Problem unavailable = Problem.unavailable("no quorum", 5);

    // THEN each has its status and title, no errors member, and the retry hint where there is one
    assertThat(notFound.fieldNames()).containsExactlyInAnyOrder("type", "title", "status", "detail");
    assertThat(notFound.getInteger("status")).isEqualTo(404);
    assertThat(notFound.getString("type")).endsWith("/not-found");
    assertThat(notFound.getString("detail")).isEqualTo("no rollout 42");
    assertThat(limited.toJson().getInteger("status")).isEqualTo(429);
    assertThat(limited.retryAfter()).isEqualTo(3);
    assertThat(limited.toJson().getString("detail")).contains("3 s");
    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.retryAfter()).isEqualTo(5);
    assertThat(Problem.unauthorized("x").toJson().getInteger("status")).isEqualTo(401);
    assertThat(Problem.forbidden("x").toJson().getInteger("status")).isEqualTo(403);
    assertThat(Problem.conflict("x").toJson().getInteger("status")).isEqualTo(409);
    assertThat(Problem.badRequest("x").toJson().getString("title")).isEqualTo("Bad Request");
  }
}
