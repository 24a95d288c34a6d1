package io.fleetcast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every relative link of the shipped Markdown resolves inside the repository (a clone has nothing else). */
class MarkdownLinksTest {

  /** The Markdown a user of a clone reads: README.md, every docs/ page, every module's README. */
  static List<Path> shippedMarkdown() throws IOException {
    Path root = Repo.root();
    List<Path> files = new ArrayList<>();
    files.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    try (Stream<Path> modules = Files.list(root)) {
      modules.map(d -> d.resolve("README.md")).filter(Files::isRegularFile).sorted().forEach(files::add);
    }
    return files;
  }

  /** Checks README.md, every docs page and every module README: each relative link names an existing file (and heading). */
  @Test
  void everyRelativeLinkResolvesInsideTheRepository() throws IOException {
    MarkdownLinks links = new MarkdownLinks(Repo.root());
    List<Path> files = shippedMarkdown();
    assertThat(files).extracting(p -> Repo.root().relativize(p).toString())
        .contains("README.md", "docs/protocol.md", "docs/api.md", "docs/architecture.md", "agent-lite/README.md");
    List<MarkdownLinks.Broken> broken = new ArrayList<>();
    int checked = 0;
    for (Path f : files) {
      checked += MarkdownLinks.links(Files.readString(f)).size();
      broken.addAll(links.broken(f));
    }
    assertThat(checked).as("links found").isGreaterThan(20);
    assertThat(broken).as("links that do not resolve in a clone").isEmpty();
  }

  /** The checker itself finds what a clone lacks: a file outside the repository, a missing file, a missing heading. */
  @Test
  void checkerReportsLinksOutsideTheRepositoryMissingFilesAndHeadings(@TempDir Path dir) throws IOException {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.createDirectories(dir.resolve("shared"));
    Files.writeString(dir.resolve("shared/SPEC.md"), "# Spec\n");
    Files.createDirectories(repo.resolve("docs"));
    Files.writeString(repo.resolve("docs/api.md"), "# Ops REST API (contract v1)\n## Tokens (admin)\n");
    Path readme = repo.resolve("README.md");
    Files.writeString(readme, String.join("\n",
        "The contract: [spec](../shared/SPEC.md), [api](docs/api.md#tokens-admin), [top](#a-title).",
        "# A title",
        "[gone](docs/gone.md) and [no heading](docs/api.md#nowhere) and [web](https://example.org/x).",
        "```",
        "[in code](nowhere.md)",
        "```",
        "`[inline](nowhere.md)`",
        "[ref]: docs/missing.md"));

    List<MarkdownLinks.Broken> broken = new MarkdownLinks(repo).broken(readme);

    assertThat(broken).extracting(MarkdownLinks.Broken::target)
        .containsExactly("../shared/SPEC.md", "docs/gone.md", "docs/api.md#nowhere", "docs/missing.md");
    assertThat(broken.get(0).why()).isEqualTo("points outside the repository");
    assertThat(broken.get(0).line()).isEqualTo(1);
  }

  /** Heading anchors follow GitHub: lower case, punctuation dropped, spaces to hyphens. */
  @Test
  void slugsFollowGithub() {
    assertThat(MarkdownLinks.slug("What is protected, and how")).isEqualTo("what-is-protected-and-how");
    assertThat(MarkdownLinks.slug("Task kinds and their `spec`")).isEqualTo("task-kinds-and-their-spec");
    assertThat(MarkdownLinks.slug("Schedules *(addition)*")).isEqualTo("schedules-addition");
  }
}
