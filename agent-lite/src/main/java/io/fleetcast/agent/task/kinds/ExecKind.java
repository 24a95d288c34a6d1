package io.fleetcast.agent.task.kinds;

import io.fleetcast.agent.os.Commands;
import io.fleetcast.agent.task.TaskContext;
import io.fleetcast.agent.task.TaskKind;
import io.fleetcast.agent.task.TaskOutcome;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code exec}: runs {@code command} with {@code args} as a real process. With {@code shell}
 * the command is a shell line ({@code /bin/sh -c command fleetcast args...}, so args are
 * {@code $1...}; {@code cmd.exe /c command args...} on Windows).
 */
public final class ExecKind implements TaskKind {
  private final ProcessRunner runner;
  private final Path workDir;
  private final Duration defaultTimeout;

  public ExecKind(ProcessRunner runner, Path workDir, Duration defaultTimeout) {
    this.runner = runner;
    this.workDir = workDir;
    this.defaultTimeout = defaultTimeout;
  }

  @Override
  public String name() {
    return "exec";
  }

  @Override
  public Future<TaskOutcome> run(TaskContext ctx) {
    return runner.run(parse(ctx.task().spec(), ctx.taskId()), ctx.cancellation());
  }

  private ProcessRunner.Spec parse(JsonObject json, String taskId) {
    SpecReader spec = new SpecReader(json);
    String command = spec.string("command");
    List<String> args = spec.strings("args");
    boolean shell = spec.bool("shell", false);
    Long timeout = spec.optLong("timeoutSeconds");
    Map<String, String> env = new HashMap<>(spec.stringMap("env"));
    env.put("FLEETCAST_TASK_ID", taskId);
    return new ProcessRunner.Spec(taskId, commandLine(command, args, shell), env, workDir,
        timeout == null ? defaultTimeout : Duration.ofSeconds(timeout));
  }

  static List<String> commandLine(String command, List<String> args, boolean shell) {
    List<String> cmd = new ArrayList<>();
    if (shell && Commands.isWindows()) {
      cmd.add("cmd.exe");
      cmd.add("/c");
      cmd.add(command);
    } else if (shell) {
      cmd.add("/bin/sh");
      cmd.add("-c");
      cmd.add(command);
      cmd.add("fleetcast");
    } else {
      cmd.add(command);
    }
    cmd.addAll(args);
    return cmd;
  }
}
