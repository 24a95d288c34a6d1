package io.fleetcast.agent.task;

import static io.fleetcast.agent.testing.Agents.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.AgentLite;
import io.fleetcast.agent.testing.Agents;
import io.fleetcast.agent.testing.FakeNode;
import io.fleetcast.agent.testing.TestKeys;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** install: a local HTTP server on 127.0.0.1 that cuts the first transfer midway, and a wrong hash. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class InstallTest {
  private static final String AGENT = "agent-i";
  private static final int SIZE = 300_000;

  @TempDir
  Path dir;

  private final TestKeys keys = new TestKeys("k1");
  private final byte[] payload = new byte[SIZE];
  private final List<String> ranges = new CopyOnWriteArrayList<>();
  private HttpServer files;
  private FakeNode node;
  private AgentLite agent;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    new Random(7).nextBytes(payload);
    files = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    files.requestHandler(req -> {
      String range = req.getHeader("Range");
      ranges.add(range == null ? "none" : range);
      if (range == null) {
        // first attempt: promise everything, send 100 000 bytes, then cut the connection
        req.response().putHeader("Content-Length", String.valueOf(SIZE)).setChunked(false);
        req.response().write(Buffer.buffer(payload).slice(0, 100_000))
            .onComplete(v -> vertx.setTimer(50, id -> req.connection().close()));
        return;
      }
      long from = Long.parseLong(range.substring("bytes=".length(), range.indexOf('-')));
      req.response().setStatusCode(206)
          .putHeader("Content-Range", "bytes " + from + "-" + (SIZE - 1) + "/" + SIZE)
          .end(Buffer.buffer(payload).slice((int) from, SIZE));
    });
    files.listen().await(5, TimeUnit.SECONDS);
    node = new FakeNode(vertx, AGENT, "pw", "node-i").start();
    agent = new AgentLite(vertx, Agents.options(dir.resolve("state"), AGENT, "pw", node.url(), keys));
    agent.start().await(10, TimeUnit.SECONDS);
    eventually("connected", agent::connected);
  }

  @AfterEach
  void stop() throws Exception {
    agent.stop().await(10, TimeUnit.SECONDS);
    node.close();
    files.close().await(5, TimeUnit.SECONDS);
  }

  private JsonObject spec(String sha256, Path marker) {
    String url = "http://127.0.0.1:" + files.actualPort() + "/pkg/tool-1.2.bin";
    return new JsonObject().put("url", url).put("sha256", sha256).put("size", SIZE).put("command", "/bin/sh")
        .put("args", new JsonArray().add("-c").add("cmp \"$FLEETCAST_DOWNLOAD\" '{file}' && cp '{file}' '" + marker
            + "' && echo installed")).put("timeoutSeconds", 10);
  }

  /** A cut transfer resumes with a Range request from the bytes on disk; the verified file is run. */
  @Test
  void resumesAfterCutConnection() throws Exception {
    Path marker = dir.resolve("installed.bin");

    node.send(keys.signed("t-inst", "install", spec(sha256(payload), marker), AGENT));
    JsonObject r = node.awaitResult("t-inst");

    assertThat(r.getString("status")).as(r.getString("output")).isEqualTo("succeeded");
    assertThat(r.getString("output")).contains("installed");
    assertThat(ranges).hasSize(2);
    assertThat(ranges.get(0)).isEqualTo("none");
    long resumedFrom = Long.parseLong(ranges.get(1).replaceAll("\\D", ""));
    assertThat(resumedFrom).isBetween(1L, (long) SIZE - 1);
    assertThat(Files.readAllBytes(marker)).isEqualTo(payload);
    assertThat(node.frames("progress")).isNotEmpty();
    try (Stream<Path> left = Files.list(dir.resolve("state/downloads"))) {
      assertThat(left).isEmpty(); // the package is removed after it ran
    }
  }

  /** A hash mismatch fails the task with the reason; the command never runs and the file is gone. */
  @Test
  void hashMismatchRunsNothing() throws Exception {
    Path marker = dir.resolve("should-not-exist");
    String wrong = "0".repeat(64);

    node.send(keys.signed("t-bad-hash", "install", spec(wrong, marker), AGENT));
    JsonObject r = node.awaitResult("t-bad-hash");

    assertThat(r.getString("status")).isEqualTo("failed");
    assertThat(r.getString("output")).contains("sha256 mismatch").contains("nothing run");
    // the short error the server shows as the target's reason (issue 11 #16)
    assertThat(r.getString("error")).startsWith("sha256 mismatch: expected ");
    assertThat(marker).doesNotExist();
    assertThat(agent.executedTaskIds()).containsExactly("t-bad-hash");
    try (Stream<Path> left = Files.walk(dir.resolve("state/downloads"))) {
      assertThat(left.filter(Files::isRegularFile)).isEmpty();
    }
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
