package io.fleetcast.ops;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds promtool ({@code $PROMTOOL}, else on the PATH) and runs it. Tests never install it:
 * CI does, before the build ({@code .ci/run} runs {@code ops/bin/ensure-promtool}); where it is
 * absent the promtool tests are skipped with the reason.
 */
final class Promtool {
  /** Result of one run: exit code and everything it printed. */
  record Run(int exitCode, String output) {}

  private static Optional<Path> located;

  private Promtool() {}

  static synchronized Optional<Path> locate() {
    if (located == null) {
      located = find(System.getenv("PROMTOOL"), System.getenv("PATH"));
    }
    return located;
  }

  /** {@code explicit} when it is an executable file, else the first executable promtool on {@code path}. */
  static Optional<Path> find(String explicit, String path) {
    if (explicit != null && !explicit.isBlank()) {
      Path p = Path.of(explicit);
      return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isBlank()) {
        Path p = Path.of(dir, "promtool");
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  static String whyMissing() {
    return "promtool is not installed (not on PATH, PROMTOOL unset), skipping; CI installs it in .ci/run "
        + "(ops/bin/ensure-promtool), or install Prometheus 2.x yourself";
  }

  static Run run(Path workDir, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(locate().orElseThrow().toString());
    cmd.addAll(List.of(args));
    return exec(cmd, workDir, 120);
  }

  private static Run exec(List<String> cmd, Path dir, long timeoutSeconds) {
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      p.getOutputStream().close();
      // read while it runs, so that a chatty process cannot fill the pipe and block
      StringBuilder out = new StringBuilder();
      Thread reader = new Thread(() -> {
        try {
          out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
          out.append(e);
        }
      });
      reader.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        reader.join(1000);
        return new Run(-1, "timed out after " + timeoutSeconds + " s: " + cmd + "\n" + out);
      }
      reader.join();
      return new Run(p.exitValue(), out.toString());
    } catch (IOException e) {
      return new Run(-1, "cannot run " + cmd + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Run(-1, "interrupted");
    }
  }
}
