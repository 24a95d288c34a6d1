package io.fleetcast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcast.common.config.Settings;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped Prometheus configurations scrape what really listens, and give alerts absolute runbook links. */
class PrometheusConfigTest {

  static Map<String, List<String>> targetsByJob(String file) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (JsonNode job : Yaml.read(Repo.path("ops/prometheus/" + file)).path("scrape_configs")) {
      List<String> targets = new ArrayList<>();
      job.path("static_configs").forEach(sc -> sc.path("targets").forEach(t -> targets.add(t.asText())));
      out.put(job.path("job_name").asText(), targets);
    }
    return out;
  }

  private static String defaultPort(String setting) {
    return String.valueOf(Settings.byPath(setting).orElseThrow().defaultValue());
  }

  /**
   * The standalone server's file scrapes exactly its two ports (API and agent port), so
   * FleetcastNodeDown cannot fire for a port nothing listens on.
   */
  @Test
  void standaloneConfigScrapesOnlyTheStandalonePorts() {
    Map<String, List<String>> jobs = targetsByJob("prometheus-standalone.yml");
    assertThat(jobs.get("fleetcast-gateway")).containsExactly("127.0.0.1:" + defaultPort("api.port"));
    assertThat(jobs.get("fleetcast-node")).containsExactly("127.0.0.1:" + defaultPort("agent.port"));
    JsonNode cfg = Yaml.read(Repo.path("ops/prometheus/prometheus-standalone.yml"));
    assertThat(cfg.path("rule_files").get(0).asText()).isEqualTo("rules.yml");
    // the agent port serves the same registry: its samples are dropped, only its up series stays
    JsonNode relabel = cfg.path("scrape_configs").get(1).path("metric_relabel_configs").get(0);
    assertThat(relabel.path("regex").asText()).isEqualTo("standalone");
    assertThat(relabel.path("action").asText()).isEqualTo("drop");
  }

  /** The cluster file matches ops/bin/local-cluster.sh start 3: gateway 8080, nodes 8081-8083. */
  @Test
  void clusterConfigMatchesTheLocalClusterLayout() throws Exception {
    Map<String, List<String>> jobs = targetsByJob("prometheus.yml");
    assertThat(jobs.get("fleetcast-gateway")).containsExactly("127.0.0.1:8080");
    assertThat(jobs.get("fleetcast-node")).containsExactly("127.0.0.1:8081", "127.0.0.1:8082", "127.0.0.1:8083");
    String script = Files.readString(Repo.path("ops/bin/local-cluster.sh"));
    assertThat(script).contains("FLEETCAST_API_PORT=8080").contains("FLEETCAST_AGENT_PORT=$((8080 + i))");
  }

  /** Each file sets the docs base of runbook_url to an absolute URL; the default one is where install-systemd puts the runbook. */
  @ParameterizedTest
  @ValueSource(strings = {"prometheus.yml", "prometheus-standalone.yml"})
  void docsBaseIsAnAbsoluteUrl(String file) throws Exception {
    String base = Yaml.read(Repo.path("ops/prometheus/" + file)).path("global").path("external_labels")
        .path("fleetcast_docs_url").asText();
    assertThat(base).matches("^[a-z][a-z0-9+.-]*://\\S+[^/]$");
    if (base.startsWith("file://")) {
      String dir = base.substring("file://".length());
      assertThat(Files.readString(Repo.path("ops/bin/install-systemd")))
          .contains("\"$root/docs/runbook.md\"").contains(" " + dir + "/");
    }
  }
}
