package io.fleetcast.load.agent;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one generator process; written from every event loop, read by the control thread. */
public final class FleetStats {
  final AtomicInteger connected = new AtomicInteger();
  final AtomicInteger connecting = new AtomicInteger();
  final LongAdder attempts = new LongAdder();
  final LongAdder welcomes = new LongAdder();
  final LongAdder drops = new LongAdder();
  final LongAdder refusedBusy = new LongAdder();
  final LongAdder refusedAuth = new LongAdder();
  final LongAdder connectErrors = new LongAdder();
  final LongAdder tasks = new LongAdder();
  final LongAdder duplicateTasks = new LongAdder();
  final LongAdder acks = new LongAdder();
  final LongAdder results = new LongAdder();
  final LongAdder resent = new LongAdder();
  final LongAdder resultAcks = new LongAdder();
  final LongAdder resultRefused = new LongAdder();
  final LongAdder otherMessages = new LongAdder();
  final LongAdder badFrames = new LongAdder();
  /** Ingest results sent and not yet acknowledged (a gauge): how far the server is behind. */
  final LongAdder ingestOutstanding = new LongAdder();

  /** The first few distinct connect failures, counted: why connects fail matters as much as how many. */
  final java.util.concurrent.ConcurrentHashMap<String, LongAdder> errorKinds = new java.util.concurrent.ConcurrentHashMap<>();

  void connectError(Throwable cause) {
    connectErrors.increment();
    String key = cause.getClass().getSimpleName() + ": " + String.valueOf(cause.getMessage()).replaceAll("[0-9.:/]+", "#");
    LongAdder a = errorKinds.get(key);
    if (a == null && errorKinds.size() < 20) {
      a = errorKinds.computeIfAbsent(key, k -> new LongAdder());
    }
    if (a != null) {
      a.increment();
    }
  }

  public JsonObject errorKinds() {
    JsonObject j = new JsonObject();
    errorKinds.forEach((k, v) -> j.put(k, v.sum()));
    return j;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("connected", connected.get())
        .put("connecting", connecting.get())
        .put("attempts", attempts.sum())
        .put("welcomes", welcomes.sum())
        .put("drops", drops.sum())
        .put("refusedBusy", refusedBusy.sum())
        .put("refusedAuth", refusedAuth.sum())
        .put("connectErrors", connectErrors.sum())
        .put("tasks", tasks.sum())
        .put("duplicateTasks", duplicateTasks.sum())
        .put("acks", acks.sum())
        .put("results", results.sum())
        .put("resent", resent.sum())
        .put("resultAcks", resultAcks.sum())
        .put("resultRefused", resultRefused.sum())
        .put("otherMessages", otherMessages.sum())
        .put("badFrames", badFrames.sum())
        .put("ingestOutstanding", ingestOutstanding.sum());
  }
}
