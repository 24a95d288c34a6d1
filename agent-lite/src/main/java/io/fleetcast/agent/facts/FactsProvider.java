package io.fleetcast.agent.facts;

import io.fleetcast.protocol.Facts;
import java.util.List;

/**
 * Where the agent's facts come from. The default reads the real machine
 * ({@link SystemFactsProvider}); tests inject fixed facts ({@link StaticFactsProvider}).
 * Both methods may block (they run on a worker thread).
 */
public interface FactsProvider {

  /** The machine's facts, without tags: the agent adds configured and enrollment tags itself. */
  Facts collect();

  /** The users logged on right now; empty when nobody is or the OS does not tell. */
  List<String> loggedOnUsers();
}
