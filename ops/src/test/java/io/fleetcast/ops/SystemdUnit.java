package io.fleetcast.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A systemd unit file as section -> key -> values (a key may repeat). */
record SystemdUnit(Path file, Map<String, Map<String, List<String>>> sections) {

  static SystemdUnit read(Path file) {
    Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
    String section = null;
    try {
      for (String raw : Files.readAllLines(file)) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
          continue;
        }
        if (line.startsWith("[") && line.endsWith("]")) {
          section = line.substring(1, line.length() - 1);
          sections.putIfAbsent(section, new LinkedHashMap<>());
          continue;
        }
        int eq = line.indexOf('=');
        if (section == null || eq < 1) {
          throw new IllegalArgumentException(file + ": not a unit file line: " + raw);
        }
        sections.get(section).computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SystemdUnit(file, sections);
  }

  /** The last value of a [Service] key (systemd's rule for single-valued keys), or null. */
  String service(String key) {
    List<String> v = sections.getOrDefault("Service", Map.of()).get(key);
    return v == null ? null : v.get(v.size() - 1);
  }
}
