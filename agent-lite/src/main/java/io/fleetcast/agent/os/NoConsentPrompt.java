package io.fleetcast.agent.os;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/** The default prompt: the agent has no way to reach the user, so the configured policy decides. */
public final class NoConsentPrompt implements ConsentPrompt {
  @Override
  public Future<Answer> ask(List<String> users, String question, Duration timeout) {
    return Future.succeededFuture(Answer.UNAVAILABLE);
  }
}
