package io.fleetcast.load.runner;

import io.fleetcast.common.log.Kv;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One server JVM started from the fleetcast jar. It runs under coreutils {@code timeout} so
 * that even if this coordinator is killed the server dies when the run's time is up;
 * {@link #javaPid()} is the JVM itself (what {@code kill -9}, jcmd and /proc need).
 */
final class ServerProcess {
  private static final Logger LOG = Logger.getLogger(ServerProcess.class.getName());
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final String name;
  final Path log;
  private final Process process;
  private volatile long javaPid;

  private ServerProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static ServerProcess start(String name, Path jar, String role, List<String> jvmOptions, Map<String, String> env,
      Path dir, long maxSeconds) {
    List<String> cmd = new ArrayList<>(List.of("timeout", "-s", "KILL", String.valueOf(maxSeconds),
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", jar.toString(), role));
    Path log = dir.resolve(name + ".log");
    // each process in a directory of its own, so that relative output (e.g. a JFR recording) cannot collide
    Path cwd = dir.resolve(name);
    try {
      java.nio.file.Files.createDirectories(cwd);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + cwd + ": " + e.getMessage(), e);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    // the server must see only what this run sets, not the developer's FLEETCAST_* variables
    pb.environment().keySet().removeIf(k -> k.startsWith("FLEETCAST_"));
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      LOG.info(Kv.event("server.started", "name", name, "role", role, "pid", p.pid(), "log", log));
      return new ServerProcess(name, p, log);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  /** The JVM under {@code timeout}. */
  long javaPid() {
    if (javaPid == 0) {
      Optional<ProcessHandle> child = process.toHandle().children().findFirst();
      javaPid = child.map(ProcessHandle::pid).orElse(0L);
    }
    return javaPid;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Polls {@code url} until it answers 200; fails early if the process died. */
  void awaitReady(String url, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited during start-up; see " + log + ":\n" + tail(40));
      }
      try {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          javaPid();
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      Sleep.millis(250);
    }
    throw new IllegalStateException(name + " not ready within " + timeout + "; see " + log + ":\n" + tail(40));
  }

  /** Lines of the log, for error messages and the banner the postgres role prints. */
  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * SIGKILL to the JVM. Completes with the {@link System#nanoTime()} at which the kernel had torn
   * the process down (a zombie or gone: its sockets are closed by then), polled every 2 ms for at
   * most a minute; what the peers of a killed process can notice no sooner than.
   */
  java.util.concurrent.CompletableFuture<Long> kill9() {
    long pid = javaPid();
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    LOG.info(Kv.event("server.killed", "name", name, "pid", pid, "signal", "KILL"));
    return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      Path stat = Path.of("/proc", String.valueOf(pid), "stat");
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (System.nanoTime() < deadline) {
        try {
          String s = Files.readString(stat);
          char state = s.charAt(s.lastIndexOf(')') + 2);
          if (state == 'Z' || state == 'X') {
            return System.nanoTime();
          }
        } catch (IOException | RuntimeException e) {
          return System.nanoTime(); // gone (reaped)
        }
        Sleep.millis(2);
      }
      return 0L;
    }, r -> {
      Thread t = new Thread(r, "kill-watch-" + name);
      t.setDaemon(true);
      t.start();
    });
  }

  /** SIGTERM to the JVM: the server closes its sockets and flushes its batches. */
  void terminate() {
    long pid = javaPid();
    if (pid != 0) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }
    process.destroy();
  }

  /** Waits for the exit after {@link #terminate()}; SIGKILL once {@code grace} is over. */
  void awaitExit(Duration grace) {
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        long pid = javaPid();
        if (pid != 0) {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  void stop(Duration grace) {
    terminate();
    awaitExit(grace);
  }
}
