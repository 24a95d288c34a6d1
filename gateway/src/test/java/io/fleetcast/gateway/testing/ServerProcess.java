package io.fleetcast.gateway.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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

/**
 * A server role (gateway or node) in its own JVM, started from the test's class path, for
 * tests that need real process boundaries ({@code kill -9}).
 */
public final class ServerProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final int port;
  private final Path log;
  private final String host;

  private ServerProcess(String name, Process process, int port, Path log, String host) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
    this.host = host;
  }

  /** Starts {@code role} with the given FLEETCAST_* environment; {@code port} is its API or agent port. */
  public static ServerProcess start(String name, String role, int port, Map<String, String> env, Path logDir) {
    return start(name, role, port, env, logDir, List.of(), "127.0.0.1");
  }

  /**
   * The same, with a launcher in front of {@code java} (e.g. {@code ip netns exec <ns>}) and the
   * host its port answers on.
   */
  public static ServerProcess start(String name, String role, int port, Map<String, String> env, Path logDir,
      List<String> launcher, String host) {
    try {
      Files.createDirectories(logDir);
      Path log = logDir.resolve(name + ".log");
      List<String> cmd = new ArrayList<>(launcher);
      cmd.addAll(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
          "-Dhazelcast.phone.home.enabled=false",
          "-cp", System.getProperty("java.class.path"),
          "io.fleetcast.gateway.app.Main", role));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("FLEETCAST_"));
      pb.environment().putAll(env);
      return new ServerProcess(name, pb.start(), port, log, host);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public String name() {
    return name;
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Waits until {@code GET /health/ready} answers 200 on the process's port. */
  public ServerProcess awaitReady(Duration timeout) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log: " + tail());
      }
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/health/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return this;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(name + " not ready within " + timeout + "; log: " + tail());
  }

  /** SIGKILL: no shutdown hook, no goodbye — a crash. */
  public void kill9() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for the process to exit by itself and returns its exit code. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + " still running after " + timeout + "; log: " + tail());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The whole log so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(File.separator.equals("/") ? "\n" : "\r\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
