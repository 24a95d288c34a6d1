package io.fleetcast.agent.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.config.StateDir;
import io.fleetcast.agent.task.OutputTail;
import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.AgentMessage.Result;
import io.fleetcast.protocol.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFramesTest {

  private static Result result(String output) {
    return new Result("t", TaskStatus.SUCCEEDED, 0, output, Instant.now(), Instant.now());
  }

  /** The ring buffer keeps exactly the last bytes written, however they were chunked. */
  @Test
  void outputTailKeepsTheTail() {
    OutputTail tail = new OutputTail(10);
    tail.append("hello ");
    tail.append("world, bye");
    assertThat(tail.text()).isEqualTo("world, bye");
    assertThat(tail.truncated()).isTrue();
    assertThat(tail.totalBytes()).isEqualTo(16);
    byte[] big = new byte[25];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) ('a' + i);
    }
    tail.append(big, 0, big.length);
    assertThat(tail.text()).isEqualTo("pqrstuvwxy");
  }

  /** A multi-byte character cut at the tail's start is dropped rather than garbled. */
  @Test
  void outputTailDropsCutCharacter() {
    OutputTail tail = new OutputTail(4);
    tail.append("xé€"); // x(1) é(2) €(3) = 6 bytes; the last 4 start inside é
    assertThat(tail.text()).isEqualTo("€");
  }

  /** Small results are untouched. */
  @Test
  void smallResultUntouched() {
    Result r = result("fine\n");
    assertThat(ResultFrames.fit(r, 60 * 1024)).isEqualTo(r);
  }

  /** Big output (worst case: characters that escape to 6 bytes) is cut from the start to fit the frame. */
  @Test
  void bigOutputFitsFrame() {
    String control = "\u0001".repeat(40_000) + "LAST LINE";
    String multibyte = "€".repeat(60_000) + "LAST LINE";
    String ascii = "x".repeat(200_000) + "LAST LINE";
    for (String out : new String[] {control, multibyte, ascii}) {
      Result fitted = ResultFrames.fit(result(out), 60 * 1024);
      assertThat(ResultFrames.encodedSize(fitted)).isLessThanOrEqualTo(60 * 1024);
      assertThat(fitted.output()).startsWith(ResultFrames.CUT_MARK).endsWith("LAST LINE");
      assertThat(fitted.output().length()).isLessThanOrEqualTo(Result.MAX_OUTPUT_CHARS);
      // the node's parser accepts it
      assertThat(AgentMessage.decode(fitted.encode())).isEqualTo(fitted);
    }
  }

  /** The store writes one 0600 file per result, reloads it after a restart and deletes it on ack. */
  @Test
  void storeRoundTrip(@TempDir Path dir) throws Exception {
    StateDir state = new StateDir(dir);
    state.open();
    ResultStore store = new ResultStore(state);
    store.load();
    Result r = new Result("task/with:odd chars", TaskStatus.FAILED, 3, "boom", Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2026-01-01T00:00:01Z"));
    store.put(r);
    try (var files = Files.list(state.results())) {
      Path f = files.findFirst().orElseThrow();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    }

    ResultStore reopened = new ResultStore(state);
    assertThat(reopened.load()).containsExactly(r);
    assertThat(reopened.remove(r.taskId())).isTrue();
    assertThat(new ResultStore(state).load()).isEmpty();
    state.close();
  }
}
