package io.fleetcast.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Layering of defaults, file, environment and explicit overrides, and the refusal of bad input. */
@Timeout(10)
class FleetcastConfigTest {
  @TempDir
  Path dir;

  private Path file(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  /** Without file, environment or overrides every setting has its catalogue default. */
  @Test
  void defaults() {
    // GIVEN nothing but the defaults
    // WHEN the configuration is loaded
    FleetcastConfig c = FleetcastConfig.load(null, Map.of(), Map.of());

    // THEN each setting reads as its documented default
    assertThat(c.integer("api.port")).isEqualTo(8080);
    assertThat(c.integer("agent.port")).isEqualTo(8081);
    assertThat(c.integer("agent.maxFrameBytes")).isEqualTo(65_536);
    assertThat(c.bool("dev")).isFalse();
    assertThat(c.string("dataDir")).isEqualTo("./fleetcast-data");
    assertThat(c.string("pg.url")).isNull();
    assertThat(c.isSet("pg.url")).isFalse();
    assertThat(c.isSet("api.port")).isTrue();
    assertThat(c.list("cluster.members")).containsExactly("127.0.0.1:5701-5720");
    for (Setting s : Settings.ALL) {
      assertThat(c.string(s.path())).as(s.path()).isEqualTo(s.defaultValue() == null ? null : String.valueOf(s.defaultValue()));
    }
  }

  /** Values in a nested YAML file replace the defaults, lists included. */
  @Test
  void yamlFileValues() throws IOException {
    // GIVEN a YAML file with nested sections, a list, a dotted key and a boolean
    Path f = file("fleetcast.yaml", """
        dev: true
        dataDir: /var/lib/fleetcast
        api:
          port: 9000
          host: 127.0.0.1
        agent:
          maxFrameBytes: 131072
        cluster:
          members:
            - 10.0.0.1:5701
            - 10.0.0.2
        pg.url: postgresql://fc:pw@db:5432/fleetcast
        """);

    // WHEN it is loaded
    FleetcastConfig c = FleetcastConfig.load(f, Map.of(), Map.of());

    // THEN the file's values are in effect and the rest keeps its defaults
    assertThat(c.bool("dev")).isTrue();
    assertThat(c.string("dataDir")).isEqualTo("/var/lib/fleetcast");
    assertThat(c.integer("api.port")).isEqualTo(9000);
    assertThat(c.string("api.host")).isEqualTo("127.0.0.1");
    assertThat(c.integer("agent.maxFrameBytes")).isEqualTo(131_072);
    assertThat(c.list("cluster.members")).containsExactly("10.0.0.1:5701", "10.0.0.2");
    assertThat(c.string("pg.url")).isEqualTo("postgresql://fc:pw@db:5432/fleetcast");
    assertThat(c.integer("agent.port")).isEqualTo(8081);
  }

  /** A JSON file is read like a YAML file. */
  @Test
  void jsonFileValues() throws IOException {
    // GIVEN a JSON configuration file
    Path f = file("fleetcast.json", "{\"api\": {\"port\": 9001}, \"results\": {\"batchRows\": 50}}");

    // WHEN it is loaded
    FleetcastConfig c = FleetcastConfig.load(f, Map.of(), Map.of());

    // THEN its values are in effect
    assertThat(c.integer("api.port")).isEqualTo(9001);
    assertThat(c.integer("results.batchRows")).isEqualTo(50);
  }

  /** An empty file, or one with only comments, means all defaults. */
  @Test
  void emptyFileMeansDefaults() throws IOException {
    // GIVEN an empty file and one with only comments
    Path empty = file("empty.yaml", "");
    Path comments = file("comments.yaml", "# everything at its default\n# api:\n#   port: 9000\n");

    // WHEN they are loaded
    // THEN the defaults are in effect
    assertThat(FleetcastConfig.load(empty, Map.of(), Map.of()).integer("api.port")).isEqualTo(8080);
    assertThat(FleetcastConfig.load(comments, Map.of(), Map.of()).integer("api.port")).isEqualTo(8080);
  }

  /** An environment variable beats the file; a blank one is ignored; unrelated variables are ignored. */
  @Test
  void environmentOverridesFile() throws IOException {
    // GIVEN a file and an environment that sets some of the same settings
    Path f = file("fleetcast.yaml", "api:\n  port: 9000\nagent:\n  port: 9001\ncluster:\n  name: from-file\n");
    Map<String, String> env = Map.of("FLEETCAST_API_PORT", " 9100 ", "FLEETCAST_AGENT_PORT", "  ",
        "FLEETCAST_CLUSTER_MEMBERS", "a:1, b:2,,c:3", "API_PORT", "1", "FLEETCAST_DEV", "yes");

    // WHEN the configuration is loaded
    FleetcastConfig c = FleetcastConfig.load(f, env, Map.of());

    // THEN the environment wins where it is set and not blank
    assertThat(c.integer("api.port")).isEqualTo(9100);
    assertThat(c.integer("agent.port")).isEqualTo(9001);
    assertThat(c.string("cluster.name")).isEqualTo("from-file");
    assertThat(c.list("cluster.members")).containsExactly("a:1", "b:2", "c:3");
    assertThat(c.bool("dev")).isTrue();
  }

  /** A role default replaces the built-in default, but the file and the environment still win over it (a standalone.yaml saying dev: false is obeyed). */
  @Test
  void roleDefaultsYieldToFileAndEnvironment() throws IOException {
    // GIVEN role defaults as the standalone role has them, a file and an environment that set some of them
    Map<String, Object> role = Map.of("dev", true, "api.host", "127.0.0.1", "agent.host", "127.0.0.1",
        "cluster.members", "");
    Path f = file("fleetcast.yaml", "dev: false\napi:\n  host: 0.0.0.0\n");
    Map<String, String> env = Map.of("FLEETCAST_AGENT_HOST", "192.0.2.1");

    // WHEN loaded
    FleetcastConfig c = FleetcastConfig.load(f, env, role, Map.of());
    FleetcastConfig bare = FleetcastConfig.load(null, Map.of(), role, Map.of());

    // THEN file and environment win; where both are silent the role default applies, not the built-in one
    assertThat(c.bool("dev")).isFalse();
    assertThat(c.string("api.host")).isEqualTo("0.0.0.0");
    assertThat(c.string("agent.host")).isEqualTo("192.0.2.1");
    assertThat(c.list("cluster.members")).isEmpty();
    assertThat(bare.bool("dev")).isTrue();
    assertThat(bare.string("api.host")).isEqualTo("127.0.0.1");
    assertThat(FleetcastConfig.load(null, Map.of(), Map.of()).string("api.host")).isEqualTo("0.0.0.0");
  }

  /** Explicit overrides beat both the environment and the file. */
  @Test
  void explicitOverridesWin() throws IOException {
    // GIVEN a file, an environment and explicit overrides of the same setting
    Path f = file("fleetcast.yaml", "api:\n  port: 9000\n");
    Map<String, String> env = Map.of("FLEETCAST_API_PORT", "9100");

    // WHEN the configuration is loaded
    FleetcastConfig c = FleetcastConfig.load(f, env, Map.of("api.port", 0));

    // THEN the override is in effect, and with() derives another configuration without changing this one
    assertThat(c.integer("api.port")).isZero();
    assertThat(c.with("api.port", 1234).integer("api.port")).isEqualTo(1234);
    assertThat(c.integer("api.port")).isZero();
  }

  /** An unknown key in the file is refused with the file and the full path in the message. */
  @Test
  void unknownKeyInFileIsRefused() throws IOException {
    // GIVEN files with a misspelt nested key, an unknown top-level key and a scalar where a section belongs
    Path typo = file("typo.yaml", "api:\n  prot: 9000\n");
    Path top = file("top.yaml", "colour: blue\n");
    Path scalar = file("scalar.yaml", "agent: 8081\n");

    // WHEN they are loaded
    // THEN each is refused, naming the offending key
    assertThatThrownBy(() -> FleetcastConfig.load(typo, Map.of(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("api.prot").hasMessageContaining("typo.yaml");
    assertThatThrownBy(() -> FleetcastConfig.load(top, Map.of(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("colour");
    assertThatThrownBy(() -> FleetcastConfig.load(scalar, Map.of(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agent");
  }

  /** A file that is not YAML, or missing, is refused with a message that names it. */
  @Test
  void unreadableFileIsRefused() throws IOException {
    // GIVEN a broken YAML file and a path that does not exist
    Path broken = file("broken.yaml", "api: [unclosed\n");
    Path missing = dir.resolve("missing.yaml");

    // WHEN they are loaded
    // THEN both are refused as unreadable configuration
    assertThatThrownBy(() -> FleetcastConfig.load(broken, Map.of(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("broken.yaml");
    assertThatThrownBy(() -> FleetcastConfig.load(missing, Map.of(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.yaml");
  }

  /** Unknown settings are refused in overrides, in with() and when read. */
  @Test
  void unknownSettingsInCodeAreRefused() {
    // GIVEN a configuration
    FleetcastConfig c = FleetcastConfig.of(Map.of());

    // WHEN unknown settings are set or read
    // THEN each call fails, naming the setting
    assertThatThrownBy(() -> FleetcastConfig.of(Map.of("api.prot", 1))).hasMessageContaining("api.prot");
    assertThatThrownBy(() -> c.with("nope", 1)).hasMessageContaining("nope");
    assertThatThrownBy(() -> c.integer("api.prot")).hasMessageContaining("api.prot");
  }

  /** Values of the wrong type give a message with the setting and the value, not a bare NumberFormatException. */
  @Test
  void typeErrorsAreClear() throws IOException {
    // GIVEN values of the wrong type from the file and from the environment
    Path f = file("bad.yaml", "api:\n  port: eighty\n");
    FleetcastConfig c = FleetcastConfig.load(f, Map.of("FLEETCAST_DEV", "maybe", "FLEETCAST_AGENT_PORT", "80.5x"), Map.of());

    // WHEN they are read as their types
    // THEN the errors name setting and value
    assertThatThrownBy(() -> c.integer("api.port")).isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("setting api.port must be an integer, got 'eighty'");
    assertThatThrownBy(() -> c.integer("agent.port")).hasMessageContaining("agent.port").hasMessageContaining("80.5x");
    assertThatThrownBy(() -> c.bool("dev")).hasMessage("setting dev must be true or false, got 'maybe'");
  }

  /** Booleans and integers are accepted in their usual text spellings. */
  @Test
  void textSpellingsOfTypes() {
    // GIVEN text values as they come from environment variables
    // WHEN they are read as booleans and integers
    // THEN the usual spellings are understood
    for (String t : new String[] {"true", "TRUE", "1", "yes", " Yes "}) {
      assertThat(FleetcastConfig.of(Map.of("dev", t)).bool("dev")).as(t).isTrue();
    }
    for (String f : new String[] {"false", "0", "no", "NO"}) {
      assertThat(FleetcastConfig.of(Map.of("dev", f)).bool("dev")).as(f).isFalse();
    }
    assertThat(FleetcastConfig.of(Map.of("api.port", " 8443 ")).integer("api.port")).isEqualTo(8443);
  }

  /** Lists split on commas, trim entries and drop empty ones; an unset list is empty. */
  @Test
  void listParsing() {
    // GIVEN list settings written in several ways
    FleetcastConfig c = FleetcastConfig.of(Map.of("cluster.members", " a:1 ,b:2-3,, ,c "));

    // WHEN they are read as lists
    // THEN entries are trimmed and empty ones dropped
    assertThat(c.list("cluster.members")).containsExactly("a:1", "b:2-3", "c");
    assertThat(c.list("pg.url")).isEmpty();
    assertThat(FleetcastConfig.of(Map.of("cluster.members", "")).list("cluster.members")).isEmpty();
  }
}
