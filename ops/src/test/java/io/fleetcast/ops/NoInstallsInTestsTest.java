package io.fleetcast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests never install system packages; CI's entry point may, and then runs exactly the README's test command. */
class NoInstallsInTestsTest {
  // split so that this file does not match itself
  private static final Pattern INSTALLS = Pattern.compile(
      "apt" + "-get|\\bapt install|\\bdnf install|\\byum install|\\bapk add|\\bbrew install");

  /** No file under any module's src/test runs a package manager (Promtool only looks promtool up: tested below). */
  @Test
  void noTestSourceInstallsPackages() throws IOException {
    List<String> hits = new ArrayList<>();
    try (Stream<Path> modules = Files.list(Repo.root())) {
      for (Path testTree : modules.map(m -> m.resolve("src/test")).filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.walk(testTree)) {
          for (Path f : files.filter(Files::isRegularFile).toList()) {
            String text = Files.readString(f);
            if (INSTALLS.matcher(text).find()) {
              hits.add(Repo.root().relativize(f).toString());
            }
          }
        }
      }
    }
    assertThat(hits).as("test sources that install packages (move the install to .ci/run)").isEmpty();
  }

  /** .ci/run installs the tools first and then runs the README's test command, nothing else. */
  @Test
  void ciRunsTheReadmeTestCommandAfterInstalls() throws IOException {
    List<String> lines = Files.readAllLines(Repo.path(".ci/run")).stream().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    String readme = Files.readString(Repo.path("README.md"));
    assertThat(readme).contains("\nmvn -B verify     # the whole test suite (what CI runs, see .ci/run)\n");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("exec mvn -B verify");
    assertThat(lines).anyMatch(l -> l.startsWith("ops/bin/ensure-promtool"));
    assertThat(Files.isExecutable(Repo.path(".ci/run"))).isTrue();
  }

  /** promtool is looked up, never installed: $PROMTOOL first, then the PATH; nothing found is empty. */
  @Test
  void promtoolIsOnlyLookedUp(@TempDir Path dir) throws IOException {
    assertThat(Promtool.find(null, dir.toString())).isEmpty();
    Path tool = Files.writeString(dir.resolve("promtool"), "#!/bin/sh\n");
    tool.toFile().setExecutable(true);
    assertThat(Promtool.find(null, "/nonexistent:" + dir)).contains(tool);
    assertThat(Promtool.find(dir.resolve("nope").toString(), dir.toString())).isEmpty();
  }
}
