package io.fleetcast.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/metrics.md read as data: the {@code fleetcast_} rows (type, labels and their allowed
 * values), the other metrics the shipped rules and dashboards may use, and the names declared
 * but not emitted.
 */
final class MetricsReference {
  /** Appears in the meaning of a metric that its component registers lazily. */
  static final String LAZY_MARK = "(appears on first use)";

  /** One documented {@code fleetcast_} metric. */
  record Metric(String name, String type, Map<String, Set<String>> labels, boolean lazy) {}

  private static final Pattern NAME = Pattern.compile("^`([a-z_:][a-z0-9_:.]*)`$");
  private static final Pattern LABEL = Pattern.compile("`([a-z_]+)`:\\s*([^;]+)");
  private static final Pattern VALUE = Pattern.compile("`([^`]+)`");

  final Map<String, Metric> fleetcast = new LinkedHashMap<>();
  /** Non-Fleetcast metric name -> source (Vert.x, JVM, Prometheus). */
  final Map<String, String> others = new LinkedHashMap<>();
  final Set<String> declaredNotEmitted = new LinkedHashSet<>();

  static MetricsReference load() {
    return parse(Repo.path("docs/metrics.md"));
  }

  static MetricsReference parse(Path file) {
    try {
      return parse(Files.readAllLines(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static MetricsReference parse(List<String> lines) {
    MetricsReference ref = new MetricsReference();
    String section = "";
    for (String line : lines) {
      if (line.startsWith("## ")) {
        section = line.substring(3).trim();
        continue;
      }
      if (!line.startsWith("| `")) {
        continue;
      }
      List<String> cells = cells(line);
      if (section.startsWith("Declared but not emitted")) {
        ref.declaredNotEmitted.add(unquote(cells.get(0)));
      } else if (section.startsWith("Other metrics")) {
        ref.others.put(unquote(cells.get(0)), cells.get(1));
      } else {
        String name = unquote(cells.get(0));
        ref.fleetcast.put(name, new Metric(name, cells.get(1), labels(cells.get(3)),
            cells.get(cells.size() - 1).contains(LAZY_MARK)));
      }
    }
    return ref;
  }

  /** Every metric name the rules and dashboards may use. */
  Set<String> usableNames() {
    Set<String> all = new LinkedHashSet<>(fleetcast.keySet());
    all.addAll(others.keySet());
    return all;
  }

  private static List<String> cells(String line) {
    String inner = line.strip();
    inner = inner.substring(1, inner.length() - 1);
    List<String> out = new ArrayList<>();
    for (String c : inner.split("\\|", -1)) {
      out.add(c.strip());
    }
    return out;
  }

  private static String unquote(String cell) {
    Matcher m = NAME.matcher(cell);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a `metric_name` cell: " + cell);
    }
    return m.group(1);
  }

  static Map<String, Set<String>> labels(String cell) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    Matcher m = LABEL.matcher(cell);
    while (m.find()) {
      Set<String> values = new LinkedHashSet<>();
      Matcher v = VALUE.matcher(m.group(2));
      while (v.find()) {
        values.add(v.group(1));
      }
      out.put(m.group(1), values);
    }
    return out;
  }
}
