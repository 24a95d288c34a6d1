package io.fleetcast.common.db;

import io.fleetcast.common.log.Kv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The postmaster a crashed server left behind. {@code kill -9} of the JVM does not stop the
 * embedded Postgres (pg_ctl starts it as a daemon): it keeps the data directory and its old port,
 * and a new start waits in vain for a second server. Found through {@code postmaster.pid},
 * checked to really be the postgres of this data directory (a pid can be reused), and stopped.
 * Only called while this process holds the data directory's lock, so it is never a live sibling's.
 */
final class StalePostmaster {
  private static final Logger LOG = Logger.getLogger(StalePostmaster.class.getName());
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private StalePostmaster() {}

  /** The live postmaster of {@code dataDir} named by its pid file, if there is one. */
  static Optional<ProcessHandle> find(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    List<String> lines;
    try {
      lines = Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.of();
    } catch (IOException e) {
      return Optional.empty();
    }
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    // a dead pid is no problem: Postgres itself replaces a pid file whose process is gone
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> isPostmasterOf(p, dataDir));
  }

  /** Stops the postmaster left running on {@code dataDir}, if any; blocks until it is gone. */
  static void stopIfRunning(Path dataDir, PgBinaries binaries) {
    Optional<ProcessHandle> stale = find(dataDir);
    if (stale.isEmpty()) {
      return;
    }
    ProcessHandle p = stale.get();
    LOG.warning(Kv.event("embedded_pg.stale_postmaster", "pid", p.pid(), "dir", dataDir,
        "action", "stopping the postmaster left by an earlier run that did not shut down"));
    // fast shutdown: its clients died with the old JVM; rolls back nothing that was committed
    binaries.run("pg_ctl", List.of("-D", dataDir.toString(), "stop", "-m", "fast", "-w", "-t",
        String.valueOf(STOP_TIMEOUT.toSeconds())), "", STOP_TIMEOUT.plusSeconds(10));
    try {
      p.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the Postgres left running on " + dataDir + " (pid " + p.pid()
          + ") did not stop; stop it and start again", e);
    }
    LOG.info(Kv.event("embedded_pg.stale_postmaster_stopped", "pid", p.pid(), "dir", dataDir));
  }

  /** A postgres process whose working directory (Postgres changes into its data directory) is {@code dataDir}. */
  static boolean isPostmasterOf(ProcessHandle p, Path dataDir) {
    boolean postgres = p.info().command().map(c -> Path.of(c).getFileName().toString().equals("postgres")).orElse(false);
    if (!postgres) {
      return false;
    }
    Path cwd = Path.of("/proc", String.valueOf(p.pid()), "cwd");
    try {
      if (Files.exists(cwd)) {
        return Files.isSameFile(cwd, dataDir);
      }
    } catch (IOException e) {
      return false;
    }
    // no /proc (not Linux): the -D argument pg_ctl gave it
    String dir = dataDir.toString();
    return p.info().arguments().map(a -> List.of(a).contains(dir)).orElse(false);
  }
}
