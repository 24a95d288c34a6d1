package io.fleetcast.agent.task;

import io.fleetcast.agent.config.ConsentPolicy;
import io.fleetcast.agent.facts.FactsService;
import io.fleetcast.agent.os.ConsentPrompt;
import io.fleetcast.agent.os.ConsentPrompt.Answer;
import io.fleetcast.protocol.NodeMessage.Task;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;

/**
 * For a {@code requireConsent} task: asks the logged-on user through the {@link ConsentPrompt}.
 * A "no", or no answer within the timeout, declines the task. Nobody logged on, or no way to
 * ask, follows the configured policies. Completes with null (go ahead) or the decline reason.
 */
public final class ConsentGate {
  private final Vertx vertx;
  private final ConsentPrompt prompt;
  private final FactsService facts;
  private final Duration timeout;
  private final ConsentPolicy whenNoUser;
  private final ConsentPolicy whenNoPrompt;

  public ConsentGate(Vertx vertx, ConsentPrompt prompt, FactsService facts, Duration timeout,
      ConsentPolicy whenNoUser, ConsentPolicy whenNoPrompt) {
    this.vertx = vertx;
    this.prompt = prompt;
    this.facts = facts;
    this.timeout = timeout;
    this.whenNoUser = whenNoUser;
    this.whenNoPrompt = whenNoPrompt;
  }

  public Future<String> check(Task task, Cancellation cancellation) {
    if (!task.requireConsent()) {
      return Future.succeededFuture(null);
    }
    return facts.loggedOnUsers().recover(e -> Future.succeededFuture(List.of())).compose(users -> {
      if (users.isEmpty()) {
        return Future.succeededFuture(whenNoUser == ConsentPolicy.PROCEED ? null
            : "declined: consent required and nobody is logged on to give it (policy decline)");
      }
      return ask(task, users, cancellation);
    });
  }

  private Future<String> ask(Task task, List<String> users, Cancellation cancellation) {
    Promise<Answer> answer = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> answer.tryComplete(Answer.NO_ANSWER));
    cancellation.onCancel(() -> answer.tryComplete(Answer.NO_ANSWER));
    String question = "Fleetcast wants to run a " + task.kind() + " task (" + task.taskId() + ") on this machine. "
        + "Allow it?";
    prompt.ask(users, question, timeout).onComplete(ar -> answer.tryComplete(ar.succeeded() ? ar.result()
        : Answer.UNAVAILABLE));
    return answer.future().map(a -> {
      vertx.cancelTimer(timer);
      String who = String.join(", ", users);
      return switch (a) {
        case GRANTED -> null;
        case DENIED -> "declined by the user (" + who + ")";
        case NO_ANSWER -> "declined: no answer from " + who + " within " + timeout.toSeconds() + " s";
        case UNAVAILABLE -> whenNoPrompt == ConsentPolicy.PROCEED ? null
            : "declined: consent required but the agent has no way to ask " + who + " (policy decline)";
      };
    });
  }
}
