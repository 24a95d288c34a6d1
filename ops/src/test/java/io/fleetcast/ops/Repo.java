package io.fleetcast.ops;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository, wherever the tests run from. */
final class Repo {
  private Repo() {}

  static Path root() {
    String prop = System.getProperty("fleetcast.root");
    Path p = (prop != null ? Path.of(prop) : Path.of("").toAbsolutePath()).normalize();
    for (Path q = p; q != null; q = q.getParent()) {
      if (Files.isDirectory(q.resolve("ops")) && Files.isDirectory(q.resolve("docs"))) {
        return q;
      }
    }
    throw new IllegalStateException("cannot find the repository root from " + p);
  }

  static Path path(String relative) {
    return root().resolve(relative);
  }
}
