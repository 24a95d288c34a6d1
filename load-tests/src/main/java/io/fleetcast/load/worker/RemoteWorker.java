package io.fleetcast.load.worker;

import io.fleetcast.common.log.Kv;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/** A generator in a child JVM ({@code Main worker}), driven over its stdin and stdout. */
public final class RemoteWorker implements Worker {
  private static final Logger LOG = Logger.getLogger(RemoteWorker.class.getName());

  private final String name;
  private final Process process;
  private final BufferedWriter stdin;
  private final Map<Long, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final long timeoutMillis;

  private RemoteWorker(String name, Process process, long timeoutMillis) {
    this.name = name;
    this.process = process;
    this.timeoutMillis = timeoutMillis;
    this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    Thread reader = new Thread(this::readAnswers, name + "-answers");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code java <jvmOptions> -cp <this classpath> io.fleetcast.load.Main worker};
   * its stderr goes to {@code log}, and it runs in a directory of its own next to it (named after it), so
   * that relative output such as a JFR recording cannot collide with another generator's.
   */
  public static RemoteWorker start(String name, List<String> jvmOptions, Path log, long maxSeconds) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(absoluteClassPath());
    cmd.add("io.fleetcast.load.Main");
    cmd.add("worker");
    cmd.add("--max-seconds=" + maxSeconds);
    try {
      Path dir = log.resolveSibling(name);
      java.nio.file.Files.createDirectories(dir);
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(log.toFile()).start();
      LOG.info(Kv.event("worker.started", "name", name, "pid", p.pid(), "log", log));
      return new RemoteWorker(name, p, 120_000);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start generator " + name + ": " + e.getMessage(), e);
    }
  }

  private static String absoluteClassPath() {
    return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .map(e -> Path.of(e).toAbsolutePath().toString())
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  private void readAnswers() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonObject answer;
        try {
          answer = new JsonObject(line);
        } catch (RuntimeException e) {
          LOG.warning(Kv.event("worker.garbage", "name", name, "line", line));
          continue;
        }
        CompletableFuture<JsonObject> f = pending.remove(answer.getLong("id"));
        if (f != null) {
          f.complete(answer);
        }
      }
    } catch (IOException e) {
      // the process went away; pending calls fail below
    }
    pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("generator " + name + " exited")));
  }

  @Override
  public JsonObject call(String cmd, JsonObject args) {
    long id = ids.incrementAndGet();
    CompletableFuture<JsonObject> f = new CompletableFuture<>();
    pending.put(id, f);
    try {
      synchronized (stdin) {
        stdin.write(new JsonObject().put("id", id).put("cmd", cmd).put("args", args).encode());
        stdin.newLine();
        stdin.flush();
      }
      JsonObject answer = f.get(timeoutMillis, TimeUnit.MILLISECONDS);
      if (!answer.getBoolean("ok", false)) {
        throw new IllegalStateException("generator " + name + ": " + cmd + " failed: " + answer.getString("error"));
      }
      return answer.getJsonObject("result");
    } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("generator " + name + ": " + cmd + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      pending.remove(id);
    }
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        call("exit");
      }
    } catch (RuntimeException e) {
      // it may have died already; destroy below
    }
    try {
      stdin.close();
    } catch (IOException e) {
      // closing is best-effort
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
