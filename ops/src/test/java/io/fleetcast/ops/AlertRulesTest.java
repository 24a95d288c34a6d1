package io.fleetcast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What promtool does not check: every alert is documented, explained, tested, and reads real metrics. */
class AlertRulesTest {
  private static final Path RULES = Repo.path("ops/prometheus/rules.yml");
  /** The template every runbook_url starts with; prometheus*.yml set the label to an absolute URL. */
  static final String RUNBOOK_BASE = "{{ $externalLabels.fleetcast_docs_url }}";

  static Map<String, JsonNode> alerts() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode g : Yaml.read(RULES).path("groups")) {
      for (JsonNode r : g.path("rules")) {
        if (r.has("alert")) {
          out.put(r.get("alert").asText(), r);
        }
      }
    }
    return out;
  }

  static Set<String> recordingRules() {
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode g : Yaml.read(RULES).path("groups")) {
      for (JsonNode r : g.path("rules")) {
        if (r.has("record")) {
          out.add(r.get("record").asText());
        }
      }
    }
    return out;
  }

  /** The issue's list of alerts is there. */
  @Test
  void theAlertsOperatorsNeedExist() {
    assertThat(alerts().keySet()).contains("FleetcastNodeDown", "FleetcastAgentsDisconnectedEnMasse",
        "FleetcastResultWriteLag", "FleetcastResultStoreErrors", "FleetcastRolloutHalted", "FleetcastEventBusFailures",
        "FleetcastPostgresPoolSaturated", "FleetcastClusterBelowMajority");
  }

  /** Each alert has a severity, a summary, a description and a runbook link to an existing section. */
  @Test
  void everyAlertIsExplainedAndHasARunbookSection() throws IOException {
    Set<String> anchors = new TreeSet<>();
    for (String line : Files.readAllLines(Repo.path("docs/runbook.md"))) {
      if (line.startsWith("## ")) {
        anchors.add(line.substring(3).trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-'));
      }
    }
    alerts().forEach((name, rule) -> {
      JsonNode a = rule.path("annotations");
      assertThat(rule.path("labels").path("severity").asText()).as(name).isIn("critical", "warning");
      assertThat(a.path("summary").asText()).as(name + " summary").isNotBlank();
      assertThat(a.path("description").asText()).as(name + " description").isNotBlank();
      assertThat(a.path("runbook_url").asText()).as(name + " runbook_url: absolute, from the configured docs base")
          .isEqualTo(RUNBOOK_BASE + "/runbook.md#" + name.toLowerCase(Locale.ROOT));
      assertThat(anchors).as("docs/runbook.md has a section '## " + name + "'").contains(name.toLowerCase(Locale.ROOT));
    });
  }

  /** Each alert has at least one promtool unit test that expects it to fire. */
  @Test
  void everyAlertHasAUnitTest() throws IOException {
    Set<String> tested = new TreeSet<>();
    try (Stream<Path> files = Files.list(Repo.path("ops/prometheus/tests"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml")).toList()) {
        for (JsonNode t : Yaml.read(f).path("tests")) {
          for (JsonNode a : t.path("alert_rule_test")) {
            if (!a.path("exp_alerts").isEmpty()) {
              tested.add(a.path("alertname").asText());
            }
          }
        }
      }
    }
    assertThat(tested).containsAll(alerts().keySet());
  }

  /** Rules read only documented metrics (or other recording rules). */
  @Test
  void rulesReadOnlyDocumentedMetrics() {
    MetricsReference ref = MetricsReference.load();
    Set<String> known = new LinkedHashSet<>(ref.usableNames());
    Set<String> records = recordingRules();
    Set<String> unknown = new TreeSet<>();
    for (JsonNode g : Yaml.read(RULES).path("groups")) {
      for (JsonNode r : g.path("rules")) {
        for (String n : PromQl.metricNames(r.path("expr").asText())) {
          if (!records.contains(n) && !known.contains(PromQl.family(n, known))) {
            unknown.add((r.has("alert") ? r.get("alert") : r.get("record")).asText() + ": " + n);
          }
        }
      }
    }
    assertThat(unknown).isEmpty();
  }

  /** prometheus.yml scrapes gateways and nodes and loads rules.yml. */
  @Test
  void prometheusScrapesGatewaysAndNodes() {
    JsonNode cfg = Yaml.read(Repo.path("ops/prometheus/prometheus.yml"));
    List<String> jobs = cfg.path("scrape_configs").findValuesAsText("job_name");
    assertThat(jobs).contains("fleetcast-gateway", "fleetcast-node");
    assertThat(cfg.path("rule_files").get(0).asText()).isEqualTo("rules.yml");
  }
}
