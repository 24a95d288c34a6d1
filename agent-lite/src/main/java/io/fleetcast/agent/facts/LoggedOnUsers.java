package io.fleetcast.agent.facts;

import io.fleetcast.agent.os.Commands;
import io.fleetcast.agent.os.OsActions.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Who is logged on, as the OS tells: {@code who} on Unix (reads utmp), {@code query user} on
 * Windows. Any failure gives an empty list: "nobody we know of".
 */
public final class LoggedOnUsers {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private LoggedOnUsers() {}

  public static List<String> query() {
    if (Commands.isWindows()) {
      CommandResult r = Commands.run(List.of("query", "user"), TIMEOUT);
      return r.ok() ? parseQueryUser(r.output()) : List.of();
    }
    CommandResult r = Commands.run(List.of("who"), TIMEOUT);
    return r.ok() ? parseWho(r.output()) : List.of();
  }

  /** {@code who} prints {@code name line time [host]}; one user may have several lines. */
  public static List<String> parseWho(String output) {
    TreeSet<String> users = new TreeSet<>();
    for (String line : output.split("\\R")) {
      String[] cols = line.trim().split("\\s+");
      if (!cols[0].isEmpty()) {
        users.add(cols[0]);
      }
    }
    return new ArrayList<>(users);
  }

  /**
   * {@code query user} prints a header line, then {@code [>]USERNAME SESSIONNAME ID STATE ...};
   * the current session is marked with '>'.
   */
  public static List<String> parseQueryUser(String output) {
    TreeSet<String> users = new TreeSet<>();
    String[] lines = output.split("\\R");
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.startsWith(">")) {
        line = line.substring(1);
      }
      String[] cols = line.trim().split("\\s+");
      if (!cols[0].isEmpty()) {
        users.add(cols[0]);
      }
    }
    return new ArrayList<>(users);
  }
}
