package io.fleetcast.fleetctl.output;

import java.io.PrintWriter;
import java.util.List;

/** RFC 4180 CSV lines: fields with commas, quotes or line breaks are quoted, quotes doubled. */
public final class Csv {
  private Csv() {}

  public static void line(PrintWriter out, List<String> fields) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(field(fields.get(i)));
    }
    // CRLF as RFC 4180 asks; spreadsheet tools expect it
    out.print(sb.append("\r\n"));
  }

  static String field(String value) {
    if (value == null) {
      return "";
    }
    if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
      return '"' + value.replace("\"", "\"\"") + '"';
    }
    return value;
  }
}
