package io.fleetcast.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.fleetctl.testing.CliRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The fleetctl command lines the README shows work as pasted: runnable path, known options, valid values. */
class ReadmeExamplesTest {
  private static final String CLI = "ops/bin/fleetctl";

  /** Every shell line of the README's code blocks, continuation lines joined. */
  static List<String> shellLines() throws Exception {
    List<String> out = new ArrayList<>();
    boolean inBlock = false;
    StringBuilder pending = new StringBuilder();
    for (String line : Files.readAllLines(Path.of("..", "README.md"))) {
      if (line.startsWith("```")) {
        inBlock = line.strip().equals("```bash");
        continue;
      }
      if (!inBlock) {
        continue;
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      out.add(pending.append(line).toString().strip());
      pending.setLength(0);
    }
    return out;
  }

  /** The arguments after {@code ops/bin/fleetctl}: quotes honoured, comment and redirection dropped. */
  static List<String> args(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    char quote = 0;
    boolean inWord = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else if (!inWord && (c == '#' || c == '>') || c == '|' || c == '&') {
        break;
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(w.toString());
    }
    List<String> args = new ArrayList<>(words.subList(1, words.size()));
    String id = UUID.randomUUID().toString();
    args.replaceAll(a -> a.equals("<id>") ? id : a);
    return args;
  }

  static List<String> fleetctlLines() throws Exception {
    return shellLines().stream().filter(l -> l.startsWith(CLI + " ")).toList();
  }

  /** No README command calls a bare {@code fleetctl} (not on PATH in a clone): they use ops/bin/fleetctl. */
  @Test
  void readmeCallsTheWrapperNotABareFleetctl() throws Exception {
    List<String> bare = shellLines().stream().filter(l -> l.startsWith("fleetctl ")).toList();
    assertThat(bare).isEmpty();
    assertThat(fleetctlLines()).hasSizeGreaterThanOrEqualTo(8);
    assertThat(Files.isExecutable(Path.of("..", CLI))).isTrue();
  }

  /** Every README fleetctl command line parses: the subcommand and each option exist. */
  @Test
  void everyReadmeCommandLineParses() throws Exception {
    for (String line : fleetctlLines()) {
      StringWriter err = new StringWriter();
      CommandLine cli = Fleetctl.commandLine(new Context(new PrintWriter(new StringWriter()), new PrintWriter(err),
          Map.of(), false));
      List<String> args = args(line);
      try {
        cli.parseArgs(args.toArray(String[]::new));
      } catch (CommandLine.ParameterException e) {
        throw new AssertionError("README line does not parse: " + line + "\n  " + e.getMessage(), e);
      }
    }
  }

  /** Every README {@code rollout create} builds a valid request as pasted, today (no stale fixed expiry). */
  @Test
  void everyReadmeRolloutCreateBuildsARequest(@TempDir Path home) throws Exception {
    List<String> creates = fleetctlLines().stream().filter(l -> l.startsWith(CLI + " rollout create")).toList();
    assertThat(creates).hasSizeGreaterThanOrEqualTo(2);
    CliRun cli = new CliRun(home.resolve("fleetctl.json"));
    for (String line : creates) {
      List<String> args = new ArrayList<>(args(line));
      args.remove("--watch");
      args.add("--dry-run");
      CliRun.Result r = cli.run(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(line + "\n" + r).isZero();
      assertThat(r.out()).contains("\"expiresAt\"");
    }
  }

  /** The line splitter keeps quoted words whole and drops what the shell would not pass on. */
  @Test
  void argsFollowShellQuoting() {
    assertThat(args("ops/bin/fleetctl rollout results <id> --csv > out.csv")).hasSize(4).contains("--csv");
    assertThat(args("ops/bin/fleetctl login --token \"$(cat a b)\" # comment"))
        .isEqualTo(Arrays.asList("login", "--token", "$(cat a b)"));
    assertThat(args("ops/bin/fleetctl rollout create --exec 'a --now'")).containsExactly("rollout", "create", "--exec",
        "a --now");
  }
}
