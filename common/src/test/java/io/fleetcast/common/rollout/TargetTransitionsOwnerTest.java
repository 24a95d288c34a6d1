package io.fleetcast.common.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one-owner rule of the state machines: no main source file of any module but
 * {@link TargetTransitions} has an {@code UPDATE rollout_targets} whose SET clause writes {@code state},
 * and none but the gateway's {@code RolloutStore} writes {@code rollouts.state}.
 */
@Timeout(30)
class TargetTransitionsOwnerTest {

  /** An UPDATE of rollout_targets up to the end of its SET clause (FROM, WHERE or RETURNING, or the statement's end). */
  private static final Pattern UPDATE = pattern("rollout_targets");
  private static final Pattern UPDATE_ROLLOUTS = pattern("rollouts");

  private static Pattern pattern(String table) {
    return Pattern.compile("UPDATE\\s+" + table + "\\b(?:\\s+(?!SET\\b)\\w+)?\\s+SET\\b(.*?)"
        + "(?:\\bFROM\\b|\\bWHERE\\b|\\bRETURNING\\b|;|$)", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  }

  /** {@code state =} or {@code t.state =} as an assignment (not first_state, not state IN). */
  private static final Pattern WRITES_STATE = Pattern.compile("(?<![\\w.])(?:\\w+\\.)?state\\s*=(?!=)",
      Pattern.CASE_INSENSITIVE);

  /** Outside TargetTransitions no main Java file writes rollout_targets.state; the statements class itself does. */
  @Test
  void onlyTargetTransitionsWritesTargetState() throws IOException {
    // GIVEN every main Java source file of the project
    Path root = projectRoot();
    List<Path> sources = mainSources(root);
    assertThat(sources).as("main sources found under " + root).hasSizeGreaterThan(100);

    // WHEN each is searched for an UPDATE of rollout_targets that sets state
    List<String> writers = new ArrayList<>();
    for (Path p : sources) {
      if (writesTargetState(Files.readString(p))) {
        writers.add(root.relativize(p).toString());
      }
    }

    // THEN the statements class is the only one
    assertThat(writers).containsExactly("common/src/main/java/io/fleetcast/common/rollout/TargetTransitions.java");
  }

  /** A rollout's state is written by RolloutStore.setState alone (the rollout state machine has one writer too). */
  @Test
  void onlyRolloutStoreWritesRolloutState() throws IOException {
    // GIVEN every main Java source file WHEN each is searched for an UPDATE of rollouts that sets state
    Path root = projectRoot();
    List<String> writers = new ArrayList<>();
    for (Path p : mainSources(root)) {
      if (writes(UPDATE_ROLLOUTS, Files.readString(p))) {
        writers.add(root.relativize(p).toString());
      }
    }

    // THEN RolloutStore is the only one
    assertThat(writers).containsExactly("gateway/src/main/java/io/fleetcast/gateway/rollout/RolloutStore.java");
  }

  /** The search itself finds the writes it must refuse, with or without a table alias, and ignores reads. */
  @Test
  void detectsWrites() {
    // GIVEN statements that do and do not write the state WHEN each is checked THEN only the writes are found
    assertThat(writesTargetState("\"UPDATE rollout_targets SET state = 'x' WHERE a = 1\"")).isTrue();
    assertThat(writesTargetState("UPDATE rollout_targets t\n  SET reason = NULL,\n    state = CASE END FROM d")).isTrue();
    assertThat(writesTargetState("update rollout_targets t set t.state=$2")).isTrue();
    assertThat(writesTargetState("UPDATE rollout_targets t SET wave = $2 FROM pick WHERE t.state = 'pending'")).isFalse();
    assertThat(writesTargetState("UPDATE rollout_targets t SET reason = u.why WHERE t.state = 'pending'")).isFalse();
    assertThat(writesTargetState("UPDATE rollouts SET state = $3 WHERE id = $1")).isFalse();
    assertThat(writes(UPDATE_ROLLOUTS, "\"UPDATE rollouts SET state = $3, state_reason = $4\" + finish")).isTrue();
    assertThat(writes(UPDATE_ROLLOUTS, "UPDATE rollouts SET owner = NULL WHERE state = 'halted'")).isFalse();
    assertThat(writes(UPDATE_ROLLOUTS, "UPDATE rollout_targets SET state = 'x'")).isFalse();
  }

  static boolean writesTargetState(String text) {
    return writes(UPDATE, text);
  }

  private static boolean writes(Pattern update, String text) {
    Matcher m = update.matcher(text);
    while (m.find()) {
      if (WRITES_STATE.matcher(m.group(1)).find()) {
        return true;
      }
    }
    return false;
  }

  private static Path projectRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("common/src/main/java"))) {
      p = p.getParent();
    }
    assertThat(p).as("project root above " + Path.of("").toAbsolutePath()).isNotNull();
    return p;
  }

  private static List<Path> mainSources(Path root) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module : modules.toList()) {
        Path main = module.resolve("src/main/java");
        if (Files.isDirectory(main)) {
          try (Stream<Path> files = Files.walk(main)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(out::add);
          } catch (UncheckedIOException e) {
            throw e.getCause();
          }
        }
      }
    }
    return out;
  }
}
