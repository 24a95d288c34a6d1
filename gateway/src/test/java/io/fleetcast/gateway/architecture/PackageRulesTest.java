package io.fleetcast.gateway.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway's package rules (docs/architecture.md, "Gateway packages"), read from the main
 * sources: domain code depends on neither the HTTP layer nor cluster-node internals, and no class
 * grows past 400 lines.
 */
@Timeout(30)
class PackageRulesTest {
  private static final Path ROOT = Path.of("src", "main", "java", "io", "fleetcast", "gateway");
  private static final String HTTP = "io.fleetcast.gateway.http.";
  private static final String NODE = "io.fleetcast.node.";
  private static final Pattern NODE_REF = Pattern.compile("io\\.fleetcast\\.node\\.[A-Za-z0-9_.]*[A-Z]\\w*");

  private record Source(String pkg, Path file, List<String> lines) {
    String text() {
      return String.join("\n", lines);
    }

    boolean in(String subPackage) {
      String name = "io.fleetcast.gateway." + subPackage;
      return pkg.equals(name) || pkg.startsWith(name + ".");
    }

    /** An API resource package of a feature ({@code rollout.api}, {@code console.api}). */
    boolean isApi() {
      return pkg.endsWith(".api") || pkg.contains(".api.");
    }
  }

  private static List<Source> sources() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().map(PackageRulesTest::read).toList();
    }
  }

  private static Source read(Path f) {
    try {
      List<String> lines = Files.readAllLines(f);
      String pkg = lines.stream().filter(l -> l.startsWith("package ")).findFirst()
          .map(l -> l.substring(8, l.indexOf(';'))).orElse("");
      return new Source(pkg, f, lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Outside the HTTP package, the API resource packages and the app, nothing refers to the HTTP package. */
  @Test
  void domainCodeDoesNotUseTheHttpLayer() throws IOException {
    List<Source> all = sources();
    assertThat(all).as("gateway main sources under %s", ROOT.toAbsolutePath()).hasSizeGreaterThan(100);
    List<Path> offenders = all.stream().filter(s -> !s.in("http") && !s.in("app") && !s.isApi())
        .filter(s -> s.text().contains(HTTP)).map(Source::file).toList();
    assertThat(offenders).as("domain classes that use %s (throw error.DomainError instead)", HTTP).isEmpty();
  }

  /** Only the app (the composition root) refers to cluster-node classes. */
  @Test
  void onlyTheAppUsesClusterNodeInternals() throws IOException {
    List<String> offenders = sources().stream().filter(s -> !s.in("app"))
        .flatMap(s -> NODE_REF.matcher(s.text()).results().map(m -> s.file() + ": " + m.group())).toList();
    assertThat(offenders).as("gateway classes outside app that use %s (move shared code to common)", NODE).isEmpty();
  }

  /** Small classes: no main source file over 400 lines. */
  @Test
  void noClassOver400Lines() throws IOException {
    List<String> large = sources().stream().filter(s -> s.lines().size() > 400)
        .map(s -> s.file() + " (" + s.lines().size() + " lines)").toList();
    assertThat(large).as("main classes over 400 lines").isEmpty();
  }
}
