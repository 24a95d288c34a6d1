package io.fleetcast.fleetctl;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command may touch outside itself: its output streams and environment. Passed in
 * rather than read from {@code System} so that tests run the CLI in-process, in parallel.
 *
 * @param interactive whether stdout is a terminal (progress bars redraw in place)
 */
public record Context(PrintWriter out, PrintWriter err, Map<String, String> env, boolean interactive) {

  public static Context system() {
    return new Context(new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv(),
        System.console() != null);
  }

  public String env(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v;
  }

  /** {@code $FLEETCTL_CONFIG}, else {@code ~/.config/fleetcast/fleetctl.json}. */
  public Path configFile() {
    String explicit = env("FLEETCTL_CONFIG");
    if (explicit != null) {
      return Path.of(explicit);
    }
    String home = env("HOME") != null ? env("HOME") : System.getProperty("user.home");
    return Path.of(home, ".config", "fleetcast", "fleetctl.json");
  }
}
