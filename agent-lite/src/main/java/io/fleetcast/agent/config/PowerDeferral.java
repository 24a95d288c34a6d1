package io.fleetcast.agent.config;

/** What a {@code power} task with {@code onlyIfNoUser} does while someone is logged on. */
public enum PowerDeferral {
  /** Answer {@code declined} at once, naming who is logged on. */
  DECLINE,
  /** Check again every {@code powerRetryInterval} until nobody is logged on or the deadline passes. */
  RETRY_UNTIL_DEADLINE
}
