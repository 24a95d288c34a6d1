package io.fleetcast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.config.Settings;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the quick start and the local-cluster script write into the checkout is ignored by git (secrets live there). */
class LocalStateIgnoredTest {

  /** The standalone data directory and local-cluster.sh's state directory are both in .gitignore. */
  @Test
  void localStateDirectoriesAreIgnored() throws Exception {
    List<String> ignored = Files.readAllLines(Repo.path(".gitignore")).stream().map(String::strip).toList();
    Matcher m = Pattern.compile("FLEETCAST_LOCAL_DIR:-\\$root/([A-Za-z0-9._-]+)\\}")
        .matcher(Files.readString(Repo.path("ops/bin/local-cluster.sh")));
    assertThat(m.find()).as("local-cluster.sh names its state directory").isTrue();
    assertThat(ignored).contains(m.group(1) + "/");
    String dataDir = String.valueOf(Settings.byPath("dataDir").orElseThrow().defaultValue()).replaceFirst("^\\./", "");
    assertThat(ignored).contains(dataDir + "/");
  }
}
