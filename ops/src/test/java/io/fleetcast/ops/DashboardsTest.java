package io.fleetcast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcast.common.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards read only metrics that exist (docs/metrics.md, checked against a real
 * server by FleetcastMetricsReferenceTest) and SQL that runs on the real schema.
 */
class DashboardsTest {

  static Map<Path, JsonNode> dashboards() throws IOException {
    Map<Path, JsonNode> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(Repo.path("ops/grafana"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        out.put(f, Yaml.read(f));
      }
    }
    return out;
  }

  /** Every query target of every panel, with its dashboard and panel title. */
  record Query(String where, String datasource, String text) {}

  static List<Query> queries() throws IOException {
    List<Query> out = new ArrayList<>();
    for (Map.Entry<Path, JsonNode> d : dashboards().entrySet()) {
      for (JsonNode panel : d.getValue().path("panels")) {
        for (JsonNode t : panel.path("targets")) {
          String where = d.getKey().getFileName() + " / " + panel.path("title").asText();
          String type = t.path("datasource").path("type").asText(panel.path("datasource").path("type").asText());
          out.add(new Query(where, type, t.has("expr") ? t.get("expr").asText() : t.path("rawSql").asText()));
        }
      }
      for (JsonNode v : d.getValue().path("templating").path("list")) {
        if (v.path("type").asText().equals("query")) {
          out.add(new Query(d.getKey().getFileName() + " / variable " + v.path("name").asText(),
              v.path("datasource").path("type").asText(), v.path("query").asText()));
        }
      }
    }
    return out;
  }

  /** Both dashboards exist, parse, and have unique uids and titled panels with queries. */
  @Test
  void dashboardsAreWellFormed() throws IOException {
    Map<Path, JsonNode> all = dashboards();
    assertThat(all.keySet()).extracting(p -> p.getFileName().toString())
        .contains("fleet-overview.json", "rollout.json");
    Set<String> uids = new HashSet<>();
    all.forEach((file, d) -> {
      assertThat(uids.add(d.path("uid").asText())).as(file + " uid unique").isTrue();
      assertThat(d.path("title").asText()).as(file + " title").startsWith("Fleetcast / ");
      for (JsonNode p : d.path("panels")) {
        assertThat(p.path("title").asText()).as(file + " panel title").isNotBlank();
        if (!p.path("type").asText().equals("row")) {
          assertThat(p.path("targets")).as(file + " / " + p.path("title").asText() + " has queries").isNotEmpty();
        }
      }
    });
  }

  /** Every metric a PromQL expression names is documented (or a recording rule of rules.yml). */
  @Test
  void promqlUsesOnlyMetricsThatExist() throws IOException {
    MetricsReference ref = MetricsReference.load();
    Set<String> known = new LinkedHashSet<>(ref.usableNames());
    Set<String> records = AlertRulesTest.recordingRules();
    Set<String> unknown = new TreeSet<>();
    int checked = 0;
    for (Query q : queries()) {
      if (!q.datasource().equals("prometheus")) {
        continue;
      }
      Set<String> names = PromQl.metricNames(q.text());
      assertThat(names).as(q.where() + ": no metric found in " + q.text()).isNotEmpty();
      for (String n : names) {
        checked++;
        if (!records.contains(n) && !known.contains(PromQl.family(n, known))) {
          unknown.add(q.where() + ": " + n);
        }
      }
    }
    assertThat(checked).isGreaterThan(20);
    assertThat(unknown).isEmpty();
  }

  /** The fleet overview covers what the issue asks for. */
  @Test
  void overviewShowsTheFleetEssentials() throws IOException {
    Set<String> names = new TreeSet<>();
    for (Query q : queries()) {
      if (q.where().startsWith("fleet-overview.json") && q.datasource().equals("prometheus")) {
        names.addAll(PromQl.metricNames(q.text()));
      }
    }
    assertThat(names).contains("fleetcast_agents_connected", "fleetcast_agent_connects_total",
        "fleetcast_agent_disconnects_total", "fleetcast_routing_latency_seconds_bucket",
        "fleetcast_result_ack_latency_seconds_bucket", "fleetcast_results_stored_total",
        "fleetcast_rollout_transitions_total", "fleetcast_wake_packets_total");
  }

  /** The rollout dashboard's SQL runs on the migrated schema (an unknown column or table fails here). */
  @Test
  void sqlRunsOnTheRealSchema() throws Exception {
    List<Query> sql = queries().stream().filter(q -> q.datasource().equals("grafana-postgresql-datasource")).toList();
    assertThat(sql).hasSizeGreaterThan(5);
    try (TestDatabase db = TestDatabase.create()) {
      Properties p = new Properties();
      p.setProperty("user", db.url().user());
      p.setProperty("password", db.url().password());
      try (Connection c = DriverManager.getConnection(db.url().jdbcUrl(), p); Statement s = c.createStatement()) {
        for (Query q : sql) {
          String text = q.text().replace("$rollout", UUID.randomUUID().toString());
          assertThat(text).as(q.where() + " uses only the $rollout variable").doesNotContain("$");
          try {
            s.executeQuery(text).close();
          } catch (SQLException e) {
            throw new AssertionError(q.where() + ": " + e.getMessage() + "\n" + text, e);
          }
        }
      }
    }
  }
}
