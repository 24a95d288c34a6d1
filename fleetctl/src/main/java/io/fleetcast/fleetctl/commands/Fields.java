package io.fleetcast.fleetctl.commands;

import java.io.PrintWriter;

/** "label:  value" lines with aligned values, for the {@code show} commands. */
final class Fields {
  private static final int LABEL_WIDTH = 11;
  private final PrintWriter out;

  Fields(PrintWriter out) {
    this.out = out;
  }

  void line(String label, String value) {
    out.println(label + ":" + " ".repeat(Math.max(1, LABEL_WIDTH - label.length())) + value);
  }
}
