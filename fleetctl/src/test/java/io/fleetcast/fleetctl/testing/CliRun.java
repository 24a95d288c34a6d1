package io.fleetcast.fleetctl.testing;

import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.Fleetctl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs fleetctl in-process with its own config file and environment; captures what it prints. */
public final class CliRun {
  private final Map<String, String> env = new HashMap<>();

  public CliRun(Path configFile) {
    env.put("FLEETCTL_CONFIG", configFile.toString());
  }

  public CliRun env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Fleetctl.run(new Context(new PrintWriter(out, true), new PrintWriter(err, true), Map.copyOf(env), false),
        args);
    return new Result(code, out.toString(), err.toString());
  }

  /** What one command did. */
  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
