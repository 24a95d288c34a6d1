package io.fleetcast.load.runner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Readings of a server process: Prometheus metrics, live heap after a full GC (jcmd), RSS and CPU time (/proc). */
public final class Probe {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
  /** Linux USER_HZ; 100 on every mainstream kernel build. */
  private static final double TICKS_PER_SECOND = 100.0;

  private Probe() {}

  public static String scrape(String url) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** Sum of every sample of {@code name} whose label set contains all of {@code labels} (e.g. {@code area="heap"}). */
  public static double metric(String text, String name, String... labels) {
    double sum = 0;
    for (String line : text.split("\n")) {
      if (!line.startsWith(name) || line.startsWith("#")) {
        continue;
      }
      int sp = line.lastIndexOf(' ');
      String head = line.substring(0, sp);
      if (!(head.equals(name) || head.startsWith(name + "{"))) {
        continue;
      }
      boolean all = true;
      for (String l : labels) {
        all &= head.contains(l);
      }
      if (all) {
        try {
          sum += Double.parseDouble(line.substring(sp + 1).trim());
        } catch (NumberFormatException e) {
          // NaN and friends are not summed
        }
      }
    }
    return sum;
  }

  /** Live heap in bytes: a full GC ({@code jcmd GC.run}), then {@code GC.heap_info}. -1 if jcmd is unavailable. */
  public static long heapAfterGc(long pid) {
    jcmd(pid, "GC.run");
    Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
    return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
  }

  /** The {@code top} biggest classes of the live heap ({@code jcmd GC.class_histogram}, which runs a full GC). */
  public static java.util.List<String> classHistogram(long pid, int top) {
    String[] lines = jcmd(pid, "GC.class_histogram").split("\n");
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String l : lines) {
      if (l.matches("\\s*\\d+:.*") && out.size() < top) {
        out.add(l.trim().replaceAll("\\s+", " "));
      }
    }
    return out;
  }

  static String jcmd(long pid, String command) {
    try {
      Process p = new ProcessBuilder("jcmd", String.valueOf(pid), command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(60, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** Resident set size in bytes, or -1. */
  public static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // the process is gone
    }
    return -1;
  }

  /** User + system CPU seconds the process has used so far, or -1. */
  public static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      // fields after the parenthesised command name; utime and stime are fields 14 and 15
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Seconds the process's threads have spent runnable but waiting for a CPU (the second field
   * of each thread's /proc schedstat), or -1: how starved of CPU it was.
   */
  public static double runQueueWaitSeconds(long pid) {
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
      long ns = 0;
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String[] f = Files.readString(t.resolve("schedstat")).trim().split(" ");
          ns += Long.parseLong(f[1]);
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
      return ns / 1e9;
    } catch (IOException e) {
      return -1;
    }
  }

  /** Busy CPU seconds of the whole machine so far (all cores, from /proc/stat). */
  public static double machineBusySeconds() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  public static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "";
    }
  }

  /** CPU seconds of several processes together. */
  public static double cpuSeconds(List<Long> pids) {
    double sum = 0;
    for (long pid : pids) {
      double s = cpuSeconds(pid);
      if (s > 0) {
        sum += s;
      }
    }
    return sum;
  }
}
