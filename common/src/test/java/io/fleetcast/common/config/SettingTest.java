package io.fleetcast.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Environment variable names of settings and the generated configuration reference. */
@Timeout(10)
class SettingTest {

  /** camelCase paths become upper snake case behind FLEETCAST_. */
  @ParameterizedTest
  @CsvSource({
      "agent.maxFrameBytes, FLEETCAST_AGENT_MAX_FRAME_BYTES",
      "api.port, FLEETCAST_API_PORT",
      "cluster.eventBusHost, FLEETCAST_CLUSTER_EVENT_BUS_HOST",
      "rollouts.defaultExpiryHours, FLEETCAST_ROLLOUTS_DEFAULT_EXPIRY_HOURS",
      "signing.nextKeyFile, FLEETCAST_SIGNING_NEXT_KEY_FILE",
      "dev, FLEETCAST_DEV",
      "node.id, FLEETCAST_NODE_ID"})
  void envNameMapping(String path, String env) {
    // GIVEN a setting path
    // WHEN its environment variable name is derived
    // THEN it is the upper snake case form
    assertThat(new Setting(path, null, "x").envName()).isEqualTo(env);
  }

  /** The start-up variables of SPEC section 4 each name a catalogued setting with the documented default. */
  @Test
  void specSection4VariablesAreSettings() {
    // GIVEN the variables SPEC section 4 promises for every process role
    Map<String, Object> spec = new java.util.HashMap<>();
    spec.put("FLEETCAST_API_PORT", 8080);
    spec.put("FLEETCAST_AGENT_PORT", 8081);
    spec.put("FLEETCAST_PG_URL", null);
    spec.put("FLEETCAST_DATA_DIR", "./fleetcast-data");
    spec.put("FLEETCAST_ADMIN_TOKEN", null);
    spec.put("FLEETCAST_DEV", false);

    // WHEN they are looked up among the settings' variable names
    // THEN each exists once, with the SPEC's default
    spec.forEach((env, dflt) -> {
      var matches = Settings.ALL.stream().filter(s -> s.envName().equals(env)).toList();
      assertThat(matches).as(env).hasSize(1);
      assertThat(matches.get(0).defaultValue()).as(env).isEqualTo(dflt);
    });
  }

  /** A variable from SPEC section 4 in the environment really changes the setting. */
  @Test
  void specSection4VariablesTakeEffect() {
    // GIVEN an environment with the SPEC section 4 variables
    Map<String, String> env = Map.of("FLEETCAST_API_PORT", "18080", "FLEETCAST_AGENT_PORT", "18081",
        "FLEETCAST_PG_URL", "postgresql://u:p@db:5432/x", "FLEETCAST_DATA_DIR", "/tmp/fc",
        "FLEETCAST_ADMIN_TOKEN", "fca_123", "FLEETCAST_DEV", "true");

    // WHEN the configuration is loaded
    FleetcastConfig c = FleetcastConfig.load(null, env, Map.of());

    // THEN each one is in effect
    assertThat(c.integer("api.port")).isEqualTo(18080);
    assertThat(c.integer("agent.port")).isEqualTo(18081);
    assertThat(c.string("pg.url")).isEqualTo("postgresql://u:p@db:5432/x");
    assertThat(c.string("dataDir")).isEqualTo("/tmp/fc");
    assertThat(c.string("adminToken")).isEqualTo("fca_123");
    assertThat(c.bool("dev")).isTrue();
  }

  /** No two settings share a path or an environment variable, and each has a description. */
  @Test
  void namesAreUnique() {
    // GIVEN the catalogue
    Set<String> paths = new HashSet<>();
    Set<String> envs = new HashSet<>();

    // WHEN its names are collected
    // THEN none repeats and none is undocumented
    for (Setting s : Settings.ALL) {
      assertThat(paths.add(s.path())).as("duplicate path %s", s.path()).isTrue();
      assertThat(envs.add(s.envName())).as("duplicate variable %s", s.envName()).isTrue();
      assertThat(s.description()).as(s.path()).isNotBlank();
      assertThat(Settings.byPath(s.path())).contains(s);
    }
    assertThat(Settings.byPath("no.such")).isEmpty();
  }

  /** The markdown reference lists every setting with its variable and default, one row each. */
  @Test
  void markdownTableHasEverySetting() {
    // GIVEN the catalogue
    // WHEN the README table is generated
    String table = Settings.markdownTable();

    // THEN every setting has its own row with path, variable, default and meaning
    assertThat(table.lines().count()).isEqualTo(Settings.ALL.size() + 2);
    for (Setting s : Settings.ALL) {
      assertThat(table).contains("| `" + s.path() + "` | `" + s.envName() + "` | ");
      assertThat(table).contains(s.description());
    }
    assertThat(table).contains("| `api.port` | `FLEETCAST_API_PORT` | `8080` |");
    assertThat(table).contains("| `pg.url` | `FLEETCAST_PG_URL` | `unset` |");
  }
}
