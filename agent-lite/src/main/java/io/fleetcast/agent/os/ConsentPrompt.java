package io.fleetcast.agent.os;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * Asks the logged-on user whether a task may run ({@code requireConsent}). Pluggable:
 * {@link NoConsentPrompt} (nobody can be asked), {@link CommandConsentPrompt} (runs a
 * configured dialog command), or a test fake.
 */
public interface ConsentPrompt {

  enum Answer {
    GRANTED,
    DENIED,
    /** No answer within the timeout. */
    NO_ANSWER,
    /** This prompt cannot reach the user at all. */
    UNAVAILABLE
  }

  /**
   * @param users the users logged on now (never empty)
   * @param question what to show, e.g. "Fleetcast wants to run exec ... Allow?"
   * @param timeout how long the user has; the caller also enforces it
   */
  Future<Answer> ask(List<String> users, String question, Duration timeout);
}
