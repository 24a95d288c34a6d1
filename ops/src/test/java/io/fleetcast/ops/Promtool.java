package io.fleetcast.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds (or has ops/bin/ensure-promtool install) promtool, and runs it. */
final class Promtool {
  /** Result of one run: exit code and everything it printed. */
  record Run(int exitCode, String output) {}

  private static Optional<Path> located;
  private static String whyMissing;

  private Promtool() {}

  static synchronized Optional<Path> locate() {
    if (located == null) {
      Run r = exec(List.of("bash", Repo.path("ops/bin/ensure-promtool").toString()), Repo.root(), 900);
      if (r.exitCode() == 0 && !r.output().isBlank()) {
        String[] lines = r.output().strip().split("\n");
        located = Optional.of(Path.of(lines[lines.length - 1].strip()));
      } else {
        located = Optional.empty();
        whyMissing = r.output().strip();
      }
    }
    return located;
  }

  static String whyMissing() {
    return "promtool is not available, skipping: " + whyMissing;
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
      // read while it runs, so that a chatty apt-get cannot fill the pipe and block
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
