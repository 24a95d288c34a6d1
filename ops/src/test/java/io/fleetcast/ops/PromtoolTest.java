package io.fleetcast.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped Prometheus files pass promtool: rule syntax, config syntax, and the rule unit
 * tests in ops/prometheus/tests. Skipped (not failed, and reported per test) where promtool is absent.
 */
class PromtoolTest {
  private static final Path DIR = Repo.path("ops/prometheus");

  // per test, not @BeforeAll: surefire then reports each test as skipped, with the reason
  @BeforeEach
  void needsPromtool() {
    assumeTrue(Promtool.locate().isPresent(), Promtool::whyMissing);
  }

  /** promtool check rules accepts rules.yml. */
  @Test
  void rulesAreValid() {
    Promtool.Run r = Promtool.run(DIR, "check", "rules", "rules.yml");
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  /** promtool check config accepts the cluster and the standalone configuration (and the rule file they name). */
  @Test
  void configIsValid() {
    for (String file : List.of("prometheus.yml", "prometheus-standalone.yml")) {
      Promtool.Run r = Promtool.run(DIR, "check", "config", file);
      assertThat(r.exitCode()).as(file + ": " + r.output()).isZero();
    }
  }

  /** The alert unit tests pass. */
  @Test
  void ruleUnitTestsPass() throws IOException {
    List<String> tests;
    try (Stream<Path> files = Files.list(DIR.resolve("tests"))) {
      tests = files.filter(p -> p.toString().endsWith(".yml")).map(p -> "tests/" + p.getFileName()).sorted().toList();
    }
    assertThat(tests).isNotEmpty();
    String[] args = Stream.concat(Stream.of("test", "rules"), tests.stream()).toArray(String[]::new);
    Promtool.Run r = Promtool.run(DIR, args);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }
}
