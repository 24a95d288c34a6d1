package io.fleetcast.load.worker;

import io.fleetcast.common.log.Kv;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A generator child process: one JSON command per stdin line, one JSON answer per stdout
 * line. It ends when stdin closes (the coordinator is gone, however it died) or when its
 * lifetime runs out, so a crashed run never leaves generators behind.
 */
public final class WorkerMain {
  private WorkerMain() {}

  public static int run(long maxSeconds) throws Exception {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
    // nothing but answers may reach stdout
    System.setOut(System.err);
    Thread reaper = new Thread(() -> {
      try {
        Thread.sleep(maxSeconds * 1000);
        System.err.println(Kv.event("worker.lifetime_over", "seconds", maxSeconds));
        Runtime.getRuntime().halt(3);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "worker-lifetime");
    reaper.setDaemon(true);
    reaper.start();
    try (Control control = new Control();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        JsonObject req = new JsonObject(line);
        String cmd = req.getString("cmd");
        JsonObject answer = new JsonObject().put("id", req.getLong("id"));
        if ("exit".equals(cmd)) {
          out.println(answer.put("ok", true).put("result", new JsonObject()).encode());
          out.flush();
          break;
        }
        try {
          answer.put("ok", true).put("result", control.handle(cmd, req.getJsonObject("args", new JsonObject())));
        } catch (RuntimeException e) {
          System.err.println(Kv.event("worker.command_failed", "cmd", cmd, "error", String.valueOf(e)));
          answer.put("ok", false).put("error", String.valueOf(e));
        }
        out.println(answer.encode());
        out.flush();
      }
    }
    System.err.println(Kv.event("worker.stopped"));
    return 0;
  }
}
