package io.fleetcast.load.report;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the numbers were measured on. */
public final class Machine {
  private Machine() {}

  public static JsonObject describe() {
    return new JsonObject()
        .put("cpus", Runtime.getRuntime().availableProcessors())
        .put("cpuModel", firstValue("/proc/cpuinfo", "model name"))
        .put("memTotal", firstValue("/proc/meminfo", "MemTotal"))
        .put("kernel", read("/proc/sys/kernel/osrelease"))
        .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
        .put("network", "loopback only (127.0.0.0/8)");
  }

  private static String firstValue(String file, String key) {
    try {
      for (String line : Files.readAllLines(Path.of(file))) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux: leave it out
    }
    return "";
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file)).trim();
    } catch (IOException e) {
      return "";
    }
  }
}
