package io.fleetcast.protocol.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Structured log lines and records: one line per record, values quoted so nothing forges a second one. */
@Timeout(10)
class KvTest {

  /** Both spellings write event first, then key=value pairs, quoting what needs it. */
  @Test
  void bothSpellingsAgree() {
    // GIVEN the same values written through the builder and through line()
    String built = Kv.event("task.finished").kv("taskId", "t-1").kv("reason", "timed out").toString();
    String line = Kv.line("task.finished", "taskId", "t-1", "reason", "timed out");

    // WHEN they are compared
    // THEN they are the same line, the value with a space quoted
    assertThat(built).isEqualTo("event=task.finished taskId=t-1 reason=\"timed out\"").isEqualTo(line);
    assertThat(Kv.event("e").kv("none", null).toString()).isEqualTo("event=e none=-");
  }

  /** A value trying to forge a second line stays inside quotes, without line breaks. */
  @Test
  void forgedLinesStayInside() {
    // GIVEN a value holding a newline and a fake event
    // WHEN it is quoted
    String q = Kv.quote("x\nevent=admin.login user=root");

    // THEN the result is one quoted token
    assertThat(q).isEqualTo("\"x\\nevent=admin.login user=root\"");
  }

  /** A record becomes one line: time, level, short logger, our event, then the error and a bounded stack. */
  @Test
  void formatsRecords() {
    // GIVEN a warning with a throwable, and a library's plain message
    LogRecord warn = new LogRecord(Level.WARNING, Kv.line("node.down", "nodeId", "n1"));
    warn.setLoggerName("io.fleetcast.node.Cluster");
    warn.setThrown(new IllegalStateException("boom"));
    LogRecord plain = new LogRecord(Level.INFO, "Started \"server\"");
    plain.setLoggerName("io.vertx.core");

    // WHEN they are formatted keeping two frames
    KeyValueFormatter f = new KeyValueFormatter(2);
    String w = f.format(warn);
    String p = f.format(plain);

    // THEN each is one line in key=value form
    assertThat(w).contains(" level=WARNING logger=node.Cluster event=node.down nodeId=n1 error=")
        .contains("stack=\"").endsWith(" ...\"\n");
    assertThat(w.indexOf('\n')).isEqualTo(w.length() - 1);
    assertThat(p).contains(" logger=io.vertx.core msg=\"Started \\\"server\\\"\"");
  }
}
