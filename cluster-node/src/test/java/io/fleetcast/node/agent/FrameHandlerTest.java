package io.fleetcast.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.CloseCodes;
import io.fleetcast.protocol.Facts;
import io.fleetcast.protocol.NodeMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Frames -> session: fragmented text is joined, over-long messages get 1009, invalid UTF-8 gets 1007. */
@ExtendWith(VertxExtension.class)
@Timeout(20)
class FrameHandlerTest {
  private static final int MAX = 1024;

  private static ByteBuf utf8(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  /** A hello sent in three fragments is one message: the session is welcomed; nothing stays buffered. */
  @Test
  void fragmentedTextIsJoined(Vertx vertx) {
    // GIVEN a fresh session behind its frame handler
    SessionFixture f = new SessionFixture(vertx);
    FakeConnection conn = new FakeConnection();
    String agentId = UUID.randomUUID().toString();
    AgentSession s = f.session(agentId, conn);
    EmbeddedChannel ch = new EmbeddedChannel(new FrameHandler(s, f.metrics, MAX));
    String hello = new AgentMessage.Hello(agentId, "1.0", Facts.EMPTY).encode();
    int a = hello.length() / 3;
    int b = 2 * hello.length() / 3;

    // WHEN it arrives in three fragments
    ch.writeInbound(new TextWebSocketFrame(false, 0, utf8(hello.substring(0, a))));
    ch.writeInbound(new ContinuationWebSocketFrame(false, 0, utf8(hello.substring(a, b))));
    assertThat(s.active()).isFalse();
    ch.writeInbound(new ContinuationWebSocketFrame(true, 0, utf8(hello.substring(b))));

    // THEN the session got one hello and was welcomed
    assertThat(s.active()).isTrue();
    assertThat(conn.messages(NodeMessage.Welcome.class)).hasSize(1);
    assertThat(conn.closeCode).isNull();
    ch.finishAndReleaseAll();
  }

  /** Fragments adding up to more than the limit close the socket with 1009. */
  @Test
  void overLongFragmentedMessageIsRefused(Vertx vertx) {
    SessionFixture f = new SessionFixture(vertx);
    FakeConnection conn = new FakeConnection();
    AgentSession s = f.session(UUID.randomUUID().toString(), conn);
    EmbeddedChannel ch = new EmbeddedChannel(new FrameHandler(s, f.metrics, MAX));

    ch.writeInbound(new TextWebSocketFrame(false, 0, utf8("x".repeat(MAX - 10))));
    ch.writeInbound(new ContinuationWebSocketFrame(false, 0, utf8("y".repeat(20))));

    assertThat(conn.closeCode).isEqualTo(CloseCodes.TOO_BIG);
    assertThat(s.active()).isFalse();
    ch.finishAndReleaseAll();
  }

  /** A text frame that is not UTF-8 closes the socket with 1007, whole or fragmented. */
  @Test
  void invalidUtf8IsRefused(Vertx vertx) {
    SessionFixture f = new SessionFixture(vertx);
    FakeConnection whole = new FakeConnection();
    FakeConnection split = new FakeConnection();
    byte[] bad = {'{', '"', 't', '"', ':', '"', (byte) 0xc3, 0x28, '"', '}'};
    EmbeddedChannel one = new EmbeddedChannel(new FrameHandler(f.session(UUID.randomUUID().toString(), whole), f.metrics, MAX));
    EmbeddedChannel two = new EmbeddedChannel(new FrameHandler(f.session(UUID.randomUUID().toString(), split), f.metrics, MAX));

    one.writeInbound(new TextWebSocketFrame(true, 0, Unpooled.wrappedBuffer(bad)));
    // the invalid sequence split across two fragments
    two.writeInbound(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(bad, 0, 7)));
    two.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(bad, 7, bad.length - 7)));

    assertThat(whole.closeCode).isEqualTo(CloseCodes.INVALID_PAYLOAD);
    assertThat(split.closeCode).isEqualTo(CloseCodes.INVALID_PAYLOAD);
    one.finishAndReleaseAll();
    two.finishAndReleaseAll();
  }
}
