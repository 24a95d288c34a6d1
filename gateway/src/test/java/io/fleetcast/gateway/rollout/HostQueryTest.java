package io.fleetcast.gateway.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.gateway.error.DomainError;
import io.fleetcast.gateway.rollout.api.RolloutConsoleApi;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-host table's query parsing and the re-run body (pure: no server, no database). */
@Timeout(10)
class HostQueryTest {
  static MultiMap q(String... kv) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < kv.length; i += 2) {
      m.add(kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Defaults: all states, hostname ascending, first page of 50; sort columns map to fixed SQL, never request text. */
  @Test
  void parsesDefaultsAndMapsSortsToFixedSql() {
    HostQuery d = HostQuery.parse(q());
    assertThat(d).isEqualTo(new HostQuery(List.of(), "hostname", false, 0, 50));
    HostQuery e = HostQuery.parse(q("state", "failed,timedOut", "sort", "exitCode", "order", "desc", "offset", "100",
        "limit", "25"));
    assertThat(e.states()).containsExactly("failed", "timedOut");
    assertThat(e.orderBy()).isEqualTo("exit_code DESC NULLS LAST, t.agent_id DESC");
  }

  /** Unknown states, sorts, orders and out-of-range pages are 400s. */
  @Test
  void rejectsWhatIsNotOnTheLists() {
    assertThatThrownBy(() -> HostQuery.parse(q("sort", "hostname; DROP TABLE agents"))).isInstanceOf(DomainError.class);
    assertThatThrownBy(() -> HostQuery.parse(q("state", "failed,bogus"))).isInstanceOf(DomainError.class);
    assertThatThrownBy(() -> HostQuery.parse(q("order", "sideways"))).isInstanceOf(DomainError.class);
    assertThatThrownBy(() -> HostQuery.parse(q("limit", "501"))).isInstanceOf(DomainError.class);
    assertThatThrownBy(() -> HostQuery.parse(q("offset", "-1"))).isInstanceOf(DomainError.class);
  }

  /** A re-run keeps the steps and strategy, drops the old times, names the agents; bad states are per-field errors. */
  @Test
  void rerunBodyKeepsStepsAndDropsTimes() {
    Rerun r = Rerun.parse(new JsonObject().put("states", new JsonArray().add("failed").add("offline")));
    assertThat(r.includesOffline()).isTrue();
    assertThat(r.targetStates()).containsExactly("failed");
    JsonObject old = new JsonObject().put("steps", new JsonArray().add(new JsonObject().put("kind", "inventory")))
        .put("strategy", new JsonObject().put("waves", new JsonArray().add(10).add(100))
            .put("startAfter", "2026-01-01T00:00:00Z").put("expiresAt", "2026-01-02T00:00:00Z"));
    JsonObject body = r.body("patch", old, List.of("a", "b"));
    assertThat(body.getString("name")).isEqualTo("re-run of patch (failed, offline)");
    assertThat(body.getJsonObject("strategy").fieldNames()).containsExactly("waves");
    assertThat(body.getJsonObject("targets").getJsonArray("agents")).containsExactly("a", "b");
    assertThatThrownBy(() -> r.body("patch", old, List.of())).isInstanceOf(DomainError.class)
        .extracting(p -> ((DomainError) p).kind()).isEqualTo(DomainError.Kind.CONFLICT);
    assertThatThrownBy(() -> Rerun.parse(new JsonObject().put("states", new JsonArray().add("succeeded"))))
        .isInstanceOf(DomainError.class).extracting(p -> ((DomainError) p).errors().get(0).field()).isEqualTo("states[0]");
    assertThatThrownBy(() -> Rerun.parse(new JsonObject())).isInstanceOf(DomainError.class);
  }

  /** CSV fields are quoted when needed and a leading = + - @ cannot become a spreadsheet formula. */
  @Test
  void csvFieldsAreQuotedAndDefused() {
    assertThat(RolloutConsoleApi.csv("a,b")).isEqualTo("\"a,b\"");
    assertThat(RolloutConsoleApi.csv("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(RolloutConsoleApi.csv("=HYPERLINK(1)")).isEqualTo("'=HYPERLINK(1)");
    assertThat(RolloutConsoleApi.csv(-3)).isEqualTo("-3");
    assertThat(RolloutConsoleApi.csv(null)).isEmpty();
  }
}
