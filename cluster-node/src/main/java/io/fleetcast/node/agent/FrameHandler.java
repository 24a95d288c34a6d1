package io.fleetcast.node.agent;

import io.fleetcast.node.metrics.NodeMetrics;
import io.fleetcast.node.metrics.NodeMetrics.DisconnectReason;
import io.fleetcast.protocol.CloseCodes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** WebSocket frames of one upgraded connection -> its {@link AgentSession}. */
final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private final AgentSession session;
  private final NodeMetrics metrics;

  FrameHandler(AgentSession session, NodeMetrics metrics) {
    this.session = session;
    this.metrics = metrics;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame text) {
      // checked here, after aggregation, instead of by a Utf8FrameValidator: same 1007 answer,
      // without one more handler, context and validator kept per idle connection
      ByteBuf content = text.content();
      if (!ByteBufUtil.isText(content, StandardCharsets.UTF_8)) {
        metrics.frameRejected("invalid_utf8");
        session.close(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8", DisconnectReason.PROTOCOL);
        return;
      }
      session.onText(content.toString(StandardCharsets.UTF_8));
    } else if (frame instanceof PongWebSocketFrame) {
      session.heard();
    } else if (frame instanceof PingWebSocketFrame ping) {
      session.heard();
      ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
    } else if (frame instanceof CloseWebSocketFrame close) {
      ctx.writeAndFlush(new CloseWebSocketFrame(CloseCodes.NORMAL, "bye")).addListener(f -> ctx.close());
    } else if (frame instanceof BinaryWebSocketFrame) {
      metrics.frameRejected("binary_frame");
      session.close(CloseCodes.UNSUPPORTED_DATA, "binary frames are not part of the protocol", DisconnectReason.PROTOCOL);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    session.onClosed();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException c) {
      int code = c.closeStatus() == null ? CloseCodes.POLICY_VIOLATION : c.closeStatus().code();
      metrics.frameRejected(code == CloseCodes.TOO_BIG ? "too_big" : code == CloseCodes.INVALID_PAYLOAD ? "invalid_utf8" : "bad_frame");
      // the decoder has already answered with a close frame; make sure the socket goes
      session.close(code, "bad frame", DisconnectReason.PROTOCOL);
      ctx.close();
    } else if (cause instanceof TooLongFrameException) {
      metrics.frameRejected("too_big");
      session.close(CloseCodes.TOO_BIG, "message too big", DisconnectReason.PROTOCOL);
    } else {
      if (!(cause instanceof IOException)) {
        session.close(CloseCodes.INTERNAL_ERROR, "internal error", DisconnectReason.ERROR);
      }
      ctx.close();
    }
  }
}
