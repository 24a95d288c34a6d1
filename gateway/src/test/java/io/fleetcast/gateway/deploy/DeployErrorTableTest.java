package io.fleetcast.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's error table (Installing agents) is the one the code has, and the table is the fixed one of issue 14. */
class DeployErrorTableTest {
  static final String BEGIN = "<!-- deploy-errors:begin -->\n";
  static final String END = "<!-- deploy-errors:end -->";

  static String expected() {
    StringBuilder b = new StringBuilder("| type | cause | solution |\n|---|---|---|\n");
    for (DeployError e : DeployError.values()) {
      b.append("| `").append(e.wire()).append("` | ").append(e.cause()).append(" | ").append(e.solution()).append(" |\n");
    }
    return b.toString();
  }

  /** Every row of the README table equals the enum's type, cause and solution, in order, and nothing else is there. */
  @Test
  void readmeTableMatchesTheEnum() throws Exception {
    String text = Files.readString(Path.of("..", "README.md"));
    int b = text.indexOf(BEGIN);
    int e = text.indexOf(END);
    assertThat(b).as("README has the deploy-errors markers").isGreaterThanOrEqualTo(0);
    assertThat(text.substring(b + BEGIN.length(), e)).isEqualTo(expected());
  }

  /** The types are exactly the fixed table of the issue; every one has a cause and a solution. */
  @Test
  void fixedTable() {
    List<String> wires = new ArrayList<>();
    for (DeployError e : DeployError.values()) {
      wires.add(e.wire());
      assertThat(e.cause()).isNotBlank();
      assertThat(e.solution()).isNotBlank();
      assertThat(DeployError.fromWire(e.wire())).contains(e);
    }
    assertThat(wires).containsExactly("dns_resolution_failure", "host_unreachable", "connection_timeout",
        "connection_refused", "logon_failure", "host_key_mismatch", "file_access_failure", "prerequisite_missing",
        "installation_error", "agent_not_connected", "unknown");
    Set<String> retried = java.util.Arrays.stream(DeployError.values()).filter(DeployError::retryable)
        .map(DeployError::wire).collect(Collectors.toSet());
    assertThat(retried).containsExactlyInAnyOrder("connection_timeout", "host_unreachable", "connection_refused", "unknown");
  }
}
