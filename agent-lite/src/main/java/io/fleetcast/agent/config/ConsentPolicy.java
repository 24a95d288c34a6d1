package io.fleetcast.agent.config;

/** What to do with a {@code requireConsent} task when nobody can be asked. */
public enum ConsentPolicy {
  /** Run the task: nobody is there to be disturbed. */
  PROCEED,
  /** Answer {@code declined}. */
  DECLINE
}
