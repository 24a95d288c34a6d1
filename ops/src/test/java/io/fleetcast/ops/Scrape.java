package io.fleetcast.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus text-format scrape, grouped into metric families as documented: a histogram's
 * {@code _bucket/_count/_sum} samples and Micrometer's separate {@code _max} gauge all belong
 * to the histogram's name.
 */
final class Scrape {
  /** One sample line: its series name and labels. */
  record Sample(String series, Map<String, String> labels) {}

  /** All samples of one documented metric. */
  record Family(String name, String type, List<Sample> samples) {}

  private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$");
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? \\S+.*$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  final Map<String, Family> families = new LinkedHashMap<>();

  static Scrape parse(String text) {
    Scrape s = new Scrape();
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    String current = null;
    for (String line : text.split("\n")) {
      Matcher t = TYPE.matcher(line);
      if (t.matches()) {
        current = t.group(1);
        types.put(current, t.group(2));
        samples.computeIfAbsent(current, k -> new ArrayList<>());
        continue;
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches() || current == null) {
        throw new IllegalArgumentException("unexpected line in scrape: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      samples.get(current).add(new Sample(m.group(1), labels));
    }
    types.forEach((name, type) -> {
      String base = name.endsWith("_max") ? name.substring(0, name.length() - 4) : null;
      boolean maxOfTimer = base != null && "gauge".equals(type)
          && ("histogram".equals(types.get(base)) || "summary".equals(types.get(base)));
      String family = maxOfTimer ? base : name;
      String familyType = maxOfTimer ? types.get(base) : type;
      s.families.computeIfAbsent(family, k -> new Family(k, familyType, new ArrayList<>()))
          .samples().addAll(samples.get(name));
    });
    return s;
  }

  /** Merges another scrape (e.g. the node port's) into this one. */
  Scrape merge(Scrape other) {
    other.families.forEach((name, f) -> families.merge(name, f, (a, b) -> {
      List<Sample> all = new ArrayList<>(a.samples());
      all.addAll(b.samples());
      return new Family(name, a.type(), all);
    }));
    return this;
  }
}
