package io.fleetcast.load.runner;

import io.fleetcast.load.report.Histograms;
import io.fleetcast.load.worker.LocalWorker;
import io.fleetcast.load.worker.RemoteWorker;
import io.fleetcast.load.worker.Worker;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;

/** The generator processes of a run, each holding a contiguous slice of the simulated clients. */
public final class Generators implements AutoCloseable {
  private final List<Worker> workers;

  private Generators(List<Worker> workers) {
    this.workers = workers;
  }

  /** {@code count} child JVMs; each must stay under ~19,000 sockets (20,000 open files per process here). */
  public static Generators processes(String prefix, int count, List<String> jvm, Path runDir, long maxSeconds) {
    List<Worker> ws = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ws.add(RemoteWorker.start(prefix + "-" + i, jvm, runDir.resolve(prefix + "-" + i + ".log"), maxSeconds));
      }
    } catch (RuntimeException e) {
      ws.forEach(Worker::close);
      throw e;
    }
    return new Generators(ws);
  }

  public static Generators inProcess() {
    return new Generators(List.of(new LocalWorker()));
  }

  public int size() {
    return workers.size();
  }

  public List<Long> pids() {
    return workers.stream().map(Worker::pid).toList();
  }

  /** First index of worker {@code w}'s slice of {@code n} clients. */
  static int sliceStart(int w, int workers, int n) {
    return (int) ((long) w * n / workers);
  }

  /** Sends each worker the command built for its slice [from, to). */
  public void perSlice(int n, String cmd, SliceArgs args) {
    for (int w = 0; w < workers.size(); w++) {
      int from = sliceStart(w, workers.size(), n);
      int to = sliceStart(w + 1, workers.size(), n);
      workers.get(w).call(cmd, args.build(from, to).put("from", from).put("to", to));
    }
  }

  /** Builds the arguments of one worker's slice. */
  @FunctionalInterface
  public interface SliceArgs {
    JsonObject build(int from, int to);
  }

  public void callAll(String cmd, JsonObject args) {
    workers.forEach(w -> w.call(cmd, args));
  }

  public List<JsonObject> collect(String cmd, JsonObject args) {
    return workers.stream().map(w -> w.call(cmd, args)).toList();
  }

  /** Sum of the numeric fields of every worker's answer. */
  public JsonObject sum(String cmd) {
    JsonObject total = new JsonObject();
    for (JsonObject j : collect(cmd, new JsonObject())) {
      for (String k : j.fieldNames()) {
        if (j.getValue(k) instanceof Number n) {
          total.put(k, total.getLong(k, 0L) + n.longValue());
        }
      }
    }
    return total;
  }

  /** Merges the histogram at {@code field}.hist of every answer (or at {@code hist} when field is null). */
  public static Histogram merge(List<JsonObject> answers, String field) {
    Histogram h = Histograms.micros();
    for (JsonObject a : answers) {
      JsonObject part = field == null ? a : a.getJsonObject(field);
      h.add(Histograms.decode(part.getString("hist")));
    }
    return h;
  }

  /** Smallest non-zero {@code field}.{@code key} over the answers (e.g. the first stamp of any agent); 0 if none. */
  public static long min(List<JsonObject> answers, String field, String key) {
    long m = Long.MAX_VALUE;
    for (JsonObject a : answers) {
      JsonObject part = field == null ? a : a.getJsonObject(field);
      long v = part.getLong(key, 0L);
      if (v != 0) {
        m = Math.min(m, v);
      }
    }
    return m == Long.MAX_VALUE ? 0 : m;
  }

  /** Largest {@code field}.{@code key} over the answers (e.g. the last stamp of any agent). */
  public static long max(List<JsonObject> answers, String field, String key) {
    long m = 0;
    for (JsonObject a : answers) {
      JsonObject part = field == null ? a : a.getJsonObject(field);
      m = Math.max(m, part.getLong(key, 0L));
    }
    return m;
  }

  /**
   * Polls the summed answers of {@code cmd} every {@code everyMillis} until {@code done}
   * holds or {@code timeout} passes; yields the last sums. Every wait in a scenario is bounded.
   */
  public JsonObject await(String cmd, Predicate<JsonObject> done, Duration timeout, long everyMillis) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonObject s = sum(cmd);
    while (!done.test(s) && System.nanoTime() < deadline) {
      Sleep.millis(everyMillis);
      s = sum(cmd);
    }
    return s;
  }

  /** The workers, for commands that differ per worker. */
  public Worker get(int i) {
    return workers.get(i);
  }

  @Override
  public void close() {
    workers.forEach(Worker::close);
  }
}
