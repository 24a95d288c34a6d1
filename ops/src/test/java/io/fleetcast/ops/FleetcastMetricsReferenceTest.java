package io.fleetcast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.metrics.MetricNames;
import io.fleetcast.fleetctl.testing.FakeAgent;
import io.fleetcast.fleetctl.testing.TestFleet;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/metrics.md against what a real server emits. The server is driven through the paths
 * that register meters (enrollment, an agent session, a rollout to completion, a wake request,
 * refused API calls) before it is scraped on both its API and its agent port.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FleetcastMetricsReferenceTest {
  private static final Set<String> ROLES = Set.of("gateway", "node", "standalone");
  /** Labels the exposition format adds to histograms and summaries. */
  private static final Set<String> STRUCTURAL_LABELS = Set.of("le", "quantile");

  static TestFleet fleet;
  static Vertx vertx;
  static Scrape scrape;
  static MetricsReference ref;

  @BeforeAll
  static void exerciseAndScrape() throws Exception {
    ref = MetricsReference.load();
    fleet = TestFleet.start();
    vertx = Vertx.vertx();
    String enrollment = fleet.enrollmentToken(2, "metrics");
    try (FakeAgent agent = new FakeAgent(vertx, fleet.enroll(enrollment, "m-1")).connect(fleet.agentUrl()).await()) {
      JsonObject body = new JsonObject().put("name", "metrics reference")
          .put("steps", new JsonArray().add(new JsonObject().put("kind", "inventory")))
          .put("targets", new JsonObject().put("agents", new JsonArray().add(agent.id())));
      String id = fleet.call("POST", "/api/v1/rollouts", fleet.adminToken(), body).getString("id");
      awaitState(id, "completed");
      fleet.call("POST", "/api/v1/wake", fleet.adminToken(),
          new JsonObject().put("macs", new JsonArray().add("02:00:00:00:00:01")));
    }
    try {
      fleet.call("GET", "/api/v1/rollouts", "fct_wrong_token", null);
    } catch (IllegalStateException expected) {
      // 401: counted as a refused API call
    }
    scrape = Scrape.parse(fleet.get(fleet.apiUrl() + "/metrics")).merge(Scrape.parse(fleet.get(fleet.nodeMetricsUrl())));
  }

  private static void awaitState(String rolloutId, String state) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    String now = null;
    while (System.currentTimeMillis() < deadline) {
      now = fleet.call("GET", "/api/v1/rollouts/" + rolloutId, fleet.adminToken(), null).getString("state");
      if (state.equals(now)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("rollout " + rolloutId + " is " + now + ", not " + state);
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  /** Every fleetcast_ metric the server emits is documented. */
  @Test
  void everyEmittedMetricIsDocumented() {
    Set<String> undocumented = new TreeSet<>();
    scrape.families.keySet().stream().filter(n -> n.startsWith("fleetcast_"))
        .filter(n -> !ref.fleetcast.containsKey(n)).forEach(undocumented::add);
    assertThat(undocumented).as("emitted but missing from docs/metrics.md").isEmpty();
  }

  /** Every documented metric is emitted (lazily registered ones excepted, as the page says). */
  @Test
  void everyDocumentedMetricIsEmitted() {
    Set<String> missing = new TreeSet<>();
    ref.fleetcast.values().stream().filter(m -> !m.lazy()).map(MetricsReference.Metric::name)
        .filter(n -> !scrape.families.containsKey(n)).forEach(missing::add);
    assertThat(missing).as("documented in docs/metrics.md but not emitted").isEmpty();
  }

  /** Types match, and every label and label value emitted is one the page lists. */
  @Test
  void typesLabelsAndValuesMatchTheReference() {
    Set<String> problems = new TreeSet<>();
    ref.fleetcast.values().forEach(m -> {
      Scrape.Family f = scrape.families.get(m.name());
      if (f == null) {
        return;
      }
      if (!f.type().equals(m.type())) {
        problems.add(m.name() + ": documented as " + m.type() + ", emitted as " + f.type());
      }
      for (Scrape.Sample s : f.samples()) {
        for (Map.Entry<String, String> l : s.labels().entrySet()) {
          String k = l.getKey();
          if (k.equals("role")) {
            if (!ROLES.contains(l.getValue())) {
              problems.add(s.series() + ": role=" + l.getValue());
            }
          } else if (!STRUCTURAL_LABELS.contains(k)) {
            Set<String> allowed = m.labels().get(k);
            if (allowed == null) {
              problems.add(s.series() + ": label '" + k + "' is not documented");
            } else if (!allowed.contains(l.getValue())) {
              problems.add(s.series() + ": " + k + "=\"" + l.getValue() + "\" is not among " + allowed);
            }
          }
        }
        if (!s.labels().containsKey("role")) {
          problems.add(s.series() + ": no role label");
        }
      }
    });
    assertThat(problems).isEmpty();
  }

  /** The Vert.x/JVM metrics that rules and dashboards rely on are really there. */
  @Test
  void otherMetricsUsedByRulesAndDashboardsAreEmitted() {
    Set<String> missing = new TreeSet<>();
    ref.others.forEach((name, source) -> {
      if (!source.equals("Prometheus") && !scrape.families.containsKey(name)) {
        missing.add(name);
      }
    });
    assertThat(missing).isEmpty();
    assertThat(scrape.families.get("vertx_pool_ratio").samples())
        .as("the Postgres pool is visible as pool_type=sql, pool_name=fleetcast-pg")
        .anyMatch(s -> "sql".equals(s.labels().get("pool_type")) && "fleetcast-pg".equals(s.labels().get("pool_name")));
  }

  /**
   * Every name in MetricNames is either documented or listed as declared-but-not-emitted, and
   * the latter really are not emitted (so the page is updated when they arrive).
   */
  @Test
  void metricNamesConstantsAreAllAccountedFor() throws Exception {
    Set<String> unaccounted = new TreeSet<>();
    for (Field f : MetricNames.class.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers()) || f.getType() != String.class) {
        continue;
      }
      String micrometer = (String) f.get(null);
      String prefix = micrometer.replace('.', '_');
      boolean documented = ref.fleetcast.keySet().stream()
          .anyMatch(n -> n.equals(prefix) || n.startsWith(prefix + "_"));
      if (!documented && !ref.declaredNotEmitted.contains(micrometer)) {
        unaccounted.add(micrometer);
      }
    }
    assertThat(unaccounted).as("MetricNames constants missing from docs/metrics.md").isEmpty();
    for (String declared : ref.declaredNotEmitted) {
      String prefix = declared.replace('.', '_');
      assertThat(scrape.families.keySet()).as(declared + " is emitted now: move it into a table of docs/metrics.md")
          .noneMatch(n -> n.equals(prefix) || n.startsWith(prefix + "_"));
    }
  }
}
