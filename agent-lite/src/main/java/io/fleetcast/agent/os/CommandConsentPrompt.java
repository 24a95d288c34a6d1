package io.fleetcast.agent.os;

import io.fleetcast.agent.os.OsActions.CommandResult;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks through a configured dialog command, e.g. {@code zenity --question --text {message}}
 * or a site-specific helper that reaches the user's session. {@code {message}} and
 * {@code {user}} in its arguments are replaced; exit code 0 means yes, any other no, and a
 * command still running at the timeout means no answer.
 */
public final class CommandConsentPrompt implements ConsentPrompt {
  private final WorkerExecutor worker;
  private final List<String> command;

  public CommandConsentPrompt(WorkerExecutor worker, List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("consent command is empty");
    }
    this.worker = worker;
    this.command = List.copyOf(command);
  }

  @Override
  public Future<Answer> ask(List<String> users, String question, Duration timeout) {
    List<String> cmd = new ArrayList<>();
    for (String part : command) {
      cmd.add(part.replace("{message}", question).replace("{user}", users.get(0)));
    }
    return worker.executeBlocking(() -> {
      CommandResult r = Commands.run(cmd, timeout);
      if (r.exitCode() == -1 && r.output().contains("did not finish")) {
        return Answer.NO_ANSWER;
      }
      if (r.exitCode() == -1 && r.output().startsWith("cannot start")) {
        return Answer.UNAVAILABLE;
      }
      return r.ok() ? Answer.GRANTED : Answer.DENIED;
    }, false);
  }
}
