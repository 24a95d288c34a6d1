package io.fleetcast.agent.os;

import io.fleetcast.agent.os.OsActions.CommandResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short OS command (who, systemctl, sc ...) and returns exit code and output. Blocks:
 * call it on a worker thread. Long-running task processes use the task runner instead.
 */
public final class Commands {
  private static final int MAX_OUTPUT = 64 * 1024;

  private Commands() {}

  public static CommandResult run(List<String> command, Duration timeout) {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new CommandResult(-1, "cannot start " + command.get(0) + ": " + e.getMessage());
    }
    try {
      p.getOutputStream().close();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Thread reader = new Thread(() -> copy(p.getInputStream(), out), "fleetcast-cmd-output");
      reader.setDaemon(true);
      reader.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return new CommandResult(-1, command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
      }
      reader.join(1000);
      String text;
      synchronized (out) {
        text = out.toString(Charset.defaultCharset());
      }
      return new CommandResult(p.exitValue(), text);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return new CommandResult(-1, "interrupted");
    } catch (IOException e) {
      return new CommandResult(-1, e.getMessage());
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    byte[] buf = new byte[4096];
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        synchronized (out) {
          if (out.size() < MAX_OUTPUT) {
            out.write(buf, 0, Math.min(n, MAX_OUTPUT - out.size()));
          }
        }
      }
    } catch (IOException ignored) {
      // the process went away; what was read is kept
    }
  }

  public static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase().startsWith("windows");
  }
}
