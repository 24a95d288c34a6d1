package io.fleetcast.common.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /health/ready}: ready only when every named condition holds. */
@Timeout(10)
class ReadinessTest {

  /** With no conditions registered the process is not ready (nothing proved it yet). */
  @Test
  void emptyIsNotReady() {
    // GIVEN readiness with no conditions
    Readiness r = new Readiness();

    // WHEN it is asked
    // THEN it is not ready
    assertThat(r.ready()).isFalse();
    assertThat(r.report().getString("status")).isEqualTo("down");
  }

  /** Ready turns true only once every flag is set and every check holds, and turns false again when a check fails. */
  @Test
  void readyWhenAllHold() {
    // GIVEN the start-up flags and a live check
    Readiness r = new Readiness();
    Runnable migrated = r.flag("schema");
    Runnable bound = r.flag("listeners");
    AtomicBoolean cluster = new AtomicBoolean(true);
    r.add("cluster", cluster::get);

    // WHEN the flags are set one by one and the check flips
    assertThat(r.ready()).isFalse();
    migrated.run();
    assertThat(r.ready()).isFalse();
    bound.run();
    boolean readyWithAll = r.ready();
    cluster.set(false);

    // THEN it was ready only with every condition, and the report names the one that is down
    assertThat(readyWithAll).isTrue();
    assertThat(r.ready()).isFalse();
    JsonObject report = r.report();
    assertThat(report.getString("status")).isEqualTo("down");
    assertThat(report.getJsonObject("checks"))
        .isEqualTo(new JsonObject().put("schema", "up").put("listeners", "up").put("cluster", "down"));
  }

  /** Registering a condition again under the same name replaces it. */
  @Test
  void sameNameReplaces() {
    // GIVEN a failing check
    Readiness r = new Readiness();
    r.add("db", () -> false);

    // WHEN it is registered again as holding
    r.add("db", () -> true);

    // THEN readiness follows the new one
    assertThat(r.ready()).isTrue();
    assertThat(r.report().getString("status")).isEqualTo("up");
  }
}
