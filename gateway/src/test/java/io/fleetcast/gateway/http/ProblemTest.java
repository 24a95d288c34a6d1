package io.fleetcast.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.error.DomainError;
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

  /** A domain error is answered with the problem the same refusal had before: status, title, detail, errors. */
  @Test
  void domainErrorsMapToTheirProblems() {
    // GIVEN one domain error of each kind and the problem the same refusal was answered with
    List<FieldError> fields = List.of(new FieldError("name", "is required"), new FieldError("steps", "is required"));
    List<DomainError> errors = List.of(DomainError.badRequest("bad cursor"), DomainError.invalid(fields),
        DomainError.unauthorized("enrollment token expired"), DomainError.forbidden("agent revoked"),
        DomainError.notFound("no rollout 42"), DomainError.conflict("the rollout has ended"),
        DomainError.unavailable("deploy.agentJar is not set", 60),
        DomainError.upstreamFailed("ldap down", List.of(new FieldError("ldap", "ldap down"))));
    List<Problem> expected = List.of(Problem.badRequest("bad cursor"), Problem.invalid(fields),
        Problem.unauthorized("enrollment token expired"), Problem.forbidden("agent revoked"),
        Problem.notFound("no rollout 42"), Problem.conflict("the rollout has ended"),
        Problem.unavailable("deploy.agentJar is not set", 60),
        new Problem(502, "Bad Gateway", "ldap down", List.of(new FieldError("ldap", "ldap down")), null));

    // WHEN each is mapped
    // THEN body, status and retry hint are those of the problem
    assertThat(errors.stream().map(DomainError::kind).toList()).as("every kind is covered")
        .containsExactlyInAnyOrder(DomainError.Kind.values());
    for (int i = 0; i < errors.size(); i++) {
      Problem p = Problem.from(errors.get(i));
      assertThat(p.toJson()).as("%s", errors.get(i).kind()).isEqualTo(expected.get(i).toJson());
      assertThat(p.status()).isEqualTo(expected.get(i).status());
      assertThat(p.retryAfter()).isEqualTo(expected.get(i).retryAfter());
    }
  }
}
