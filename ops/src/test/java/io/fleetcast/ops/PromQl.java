package io.fleetcast.ops;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. Not a parser: it removes what cannot be a metric
 * name (strings, label matchers, ranges, grouping clauses, Grafana variables) and keeps the
 * identifiers that are not functions, keywords or numbers. Good enough for the expressions
 * we ship, and a wrong guess fails the test loudly rather than passing silently.
 */
final class PromQl {
  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
      "bool", "and", "or", "unless", "offset", "inf", "nan", "atan2");
  private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private PromQl() {}

  static Set<String> metricNames(String expr) {
    String s = expr
        .replaceAll("\\$\\{[^}]*}", " ")                // Grafana ${var}
        .replaceAll("\\$[a-zA-Z_]+", " ")               // Grafana $var, $__rate_interval
        .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ")    // string literals
        .replaceAll("\\{[^}]*}", " ")                   // label matchers
        .replaceAll("\\[[^]]*]", " ")                   // ranges and subqueries
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENT.matcher(s);
    while (m.find()) {
      String id = m.group();
      int after = m.end();
      while (after < s.length() && Character.isWhitespace(s.charAt(after))) {
        after++;
      }
      boolean call = after < s.length() && s.charAt(after) == '(';
      boolean aggregation = s.startsWith("by", after) || s.startsWith("without", after);
      boolean number = m.start() > 0 && (Character.isDigit(s.charAt(m.start() - 1)) || s.charAt(m.start() - 1) == '.');
      if (!call && !aggregation && !number && !KEYWORDS.contains(id.toLowerCase())) {
        names.add(id);
      }
    }
    return names;
  }

  /** The documented name a series name belongs to: a histogram's _bucket/_count/_sum/_max go to the histogram. */
  static String family(String series, Set<String> known) {
    if (known.contains(series)) {
      return series;
    }
    for (String suffix : new String[] {"_bucket", "_count", "_sum", "_max"}) {
      if (series.endsWith(suffix) && known.contains(series.substring(0, series.length() - suffix.length()))) {
        return series.substring(0, series.length() - suffix.length());
      }
    }
    return series;
  }
}
