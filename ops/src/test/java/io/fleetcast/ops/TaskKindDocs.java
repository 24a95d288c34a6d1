package io.fleetcast.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what the Markdown says about task kinds: the kind tables, the protocol's list and the step examples. */
final class TaskKindDocs {
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  private static final Pattern ROW_KIND = Pattern.compile("^`([A-Za-z]+)`(?:\\s*\\(([^)]+)\\))?$");
  private static final Pattern STEP_SPEC = Pattern.compile("\"kind\"\\s*:\\s*\"([A-Za-z]+)\"\\s*,\\s*\"spec\"\\s*:\\s*\\{");

  /** A documented step: its kind and the spec as written. */
  record Step(String kind, String spec) {}

  private TaskKindDocs() {}

  /** The lines under {@code heading} (exact line) up to the next heading of the same or a higher level. */
  static List<String> section(String markdown, String heading) {
    List<String> lines = markdown.lines().toList();
    int start = lines.indexOf(heading);
    if (start < 0) {
      throw new IllegalArgumentException("no heading " + heading);
    }
    int level = heading.indexOf(' ');
    List<String> out = new ArrayList<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("#") && line.indexOf(' ') <= level && line.indexOf(' ') > 0) {
        break;
      }
      out.add(line);
    }
    return out;
  }

  /**
   * The first table of a section as {"kind" or "kind (form)" -> the names in backticks of its spec
   * column}; the rows in the order written.
   */
  static Map<String, Set<String>> kindTable(List<String> section) {
    Map<String, Set<String>> rows = new LinkedHashMap<>();
    boolean inTable = false;
    for (String line : section) {
      if (!line.startsWith("|")) {
        if (inTable) {
          break;
        }
        continue;
      }
      inTable = true;
      String[] cells = line.split("\\|");
      Matcher kind = ROW_KIND.matcher(cells[1].trim());
      if (!kind.matches()) {
        continue; // the header and the separator
      }
      String key = kind.group(2) == null ? kind.group(1) : kind.group(1) + " (" + kind.group(2) + ")";
      rows.put(key, codes(withoutParentheses(cells[2])));
    }
    return rows;
  }

  /** The bullets of a section as {kind -> the names in backticks before its " — " explanation}. */
  static Map<String, Set<String>> kindList(List<String> section) {
    Map<String, Set<String>> kinds = new LinkedHashMap<>();
    String kind = null;
    StringBuilder text = new StringBuilder();
    for (String line : section) {
      Matcher m = Pattern.compile("^- `([A-Za-z]+)`(?: \\*\\(addition\\)\\*)?:(.*)$").matcher(line);
      if (m.matches()) {
        put(kinds, kind, text);
        kind = m.group(1);
        text = new StringBuilder(m.group(2));
      } else if (kind != null && line.startsWith("  ")) {
        text.append(' ').append(line.trim());
      } else {
        put(kinds, kind, text);
        kind = null;
      }
    }
    put(kinds, kind, text);
    return kinds;
  }

  /** Every {@code "kind": "...", "spec": {...}} written in the text, the spec cut at its closing brace. */
  static List<Step> steps(String markdown) {
    List<Step> steps = new ArrayList<>();
    Matcher m = STEP_SPEC.matcher(markdown);
    while (m.find()) {
      int open = m.end() - 1;
      int depth = 0;
      for (int i = open; i < markdown.length(); i++) {
        char c = markdown.charAt(i);
        depth += c == '{' ? 1 : c == '}' ? -1 : 0;
        if (depth == 0) {
          steps.add(new Step(m.group(1), markdown.substring(open, i + 1)));
          break;
        }
      }
    }
    return steps;
  }

  static Set<String> codes(String text) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = CODE.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static void put(Map<String, Set<String>> kinds, String kind, StringBuilder text) {
    if (kind != null) {
      int dash = text.indexOf(" — ");
      kinds.put(kind, codes(dash < 0 ? text.toString() : text.substring(0, dash)));
    }
  }

  /** Drops "(resolved by the gateway, see [...](...))": explanations, not fields. */
  private static String withoutParentheses(String cell) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    for (char c : cell.toCharArray()) {
      depth += c == '(' ? 1 : 0;
      if (depth == 0) {
        out.append(c);
      }
      depth -= c == ')' && depth > 0 ? 1 : 0;
    }
    return out.toString();
  }
}
