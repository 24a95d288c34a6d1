package io.fleetcast.fleetctl.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for humans: left-aligned columns two spaces apart, one line per row,
 * long cells cut so that a row stays on one line. Scripts use {@code --json} instead.
 */
public final class Table {
  private static final int MAX_CELL = 60;

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... headers) {
    this.headers = List.of(headers);
  }

  public Table row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException("expected " + headers.size() + " cells, got " + cells.length);
    }
    List<String> row = new ArrayList<>(cells.length);
    for (Object c : cells) {
      row.add(cell(c));
    }
    rows.add(row);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  public void print(PrintWriter out) {
    int[] width = new int[headers.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = headers.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    line(out, headers, width);
    rows.forEach(r -> line(out, r, width));
    out.flush();
  }

  private static void line(PrintWriter out, List<String> cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      sb.append(cells.get(i));
      if (i < cells.size() - 1) {
        sb.append(" ".repeat(width[i] - cells.get(i).length() + 2));
      }
    }
    out.println(sb.toString().stripTrailing());
  }

  static String cell(Object value) {
    if (value == null) {
      return "-";
    }
    String s = String.valueOf(value).replaceAll("[\\r\\n\\t]+", " ").strip();
    if (s.isEmpty()) {
      return "-";
    }
    return s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 3) + "..." : s;
  }
}
