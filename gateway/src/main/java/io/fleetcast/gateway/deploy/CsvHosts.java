package io.fleetcast.gateway.deploy;

import io.fleetcast.protocol.net.IpLiteral;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses a host list in the NEXThink deployer's format: {@code BIOS_NAME,IP_ADDRESS} per line,
 * header optional, extra columns ignored, RFC 4180 quotes (a quoted field may hold commas and
 * doubled quotes), a UTF-8 byte-order mark tolerated, blank lines skipped. Every bad line is
 * reported with its 1-based number and why; good lines are kept (a duplicate name keeps the first).
 */
public final class CsvHosts {
  public static final int MAX_LINES = 100_000;
  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9._-]{0,253}[A-Za-z0-9])?$");

  /** One line that could not be used. */
  public record LineError(int line, String message) {}

  public record Parsed(List<DiscoveredHost> hosts, List<LineError> errors) {}

  private CsvHosts() {}

  public static Parsed parse(String text) {
    List<LineError> errors = new ArrayList<>();
    Map<String, DiscoveredHost> hosts = new LinkedHashMap<>();
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String[] lines = text.split("\r\n|\n|\r", -1);
    if (lines.length > MAX_LINES) {
      errors.add(new LineError(MAX_LINES + 1, "more than " + MAX_LINES + " lines; the rest is ignored"));
    }
    for (int i = 0; i < Math.min(lines.length, MAX_LINES); i++) {
      int number = i + 1;
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      List<String> fields;
      try {
        fields = fields(line);
      } catch (IllegalArgumentException e) {
        errors.add(new LineError(number, e.getMessage()));
        continue;
      }
      String name = fields.get(0).trim();
      String ip = fields.size() > 1 ? fields.get(1).trim() : "";
      if (hosts.isEmpty() && errors.isEmpty() && isHeader(name, ip)) {
        continue;
      }
      String problem = check(name, ip);
      if (problem != null) {
        errors.add(new LineError(number, problem));
      } else {
        hosts.putIfAbsent(name.toLowerCase(Locale.ROOT), new DiscoveredHost(name, ip, "csv"));
      }
    }
    return new Parsed(List.copyOf(hosts.values()), List.copyOf(errors));
  }

  /** Checks a name and optional address (shared with host lists given as JSON). */
  static String check(String name, String ip) {
    if (name.isEmpty()) {
      return "BIOS_NAME is empty";
    }
    if (!NAME.matcher(name).matches()) {
      return "BIOS_NAME '" + clip(name) + "' is not a host name (letters, digits, '.', '-', '_'; at most 255)";
    }
    if (!ip.isEmpty() && !IpLiteral.isPostgresInet(ip)) {
      return "IP_ADDRESS '" + clip(ip) + "' is not an IPv4 or IPv6 address";
    }
    return null;
  }

  private static boolean isHeader(String name, String ip) {
    String n = name.toUpperCase(Locale.ROOT).replace(' ', '_');
    return n.equals("BIOS_NAME") || n.equals("NAME") || n.equals("HOSTNAME") || ip.toUpperCase(Locale.ROOT).startsWith("IP");
  }

  /** Splits one line on commas outside quotes; "" inside quotes is a quote. */
  static List<String> fields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        if (!cur.toString().isBlank() || wasQuoted) {
          throw new IllegalArgumentException("a quote in the middle of an unquoted field (column " + (out.size() + 1) + ")");
        }
        cur.setLength(0);
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
        wasQuoted = false;
      } else if (wasQuoted && !Character.isWhitespace(c)) {
        throw new IllegalArgumentException("text after a closing quote (column " + (out.size() + 1) + ")");
      } else {
        cur.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unterminated quote");
    }
    out.add(cur.toString());
    return out;
  }

  private static String clip(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }
}
