package io.fleetcast.node.agent;

import io.fleetcast.node.metrics.NodeMetrics;
import io.fleetcast.node.metrics.NodeMetrics.DisconnectReason;
import io.fleetcast.protocol.CloseCodes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * WebSocket frames of one upgraded connection -> its {@link AgentSession}. Also joins a text
 * message sent in fragments and checks that text is UTF-8: done here rather than by Netty's
 * frame aggregator and UTF-8 validator, because those are two more handlers and contexts kept
 * by every idle connection (~0.2 KiB each) for something agents seldom do. The decoder before
 * this handler already enforces the fragment order (no stray continuation, no interleaved data
 * frames) and the per-frame size limit.
 */
final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private final AgentSession session;
  private final NodeMetrics metrics;
  private final int maxMessageBytes;
  /** The fragments of a text message still being received; null between messages. */
  private CompositeByteBuf fragments;

  FrameHandler(AgentSession session, NodeMetrics metrics, int maxMessageBytes) {
    this.session = session;
    this.metrics = metrics;
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame text) {
      if (text.isFinalFragment()) {
        onMessage(text.content());
      } else {
        dropFragments();
        fragments = ctx.alloc().compositeBuffer(16);
        append(text);
      }
    } else if (frame instanceof ContinuationWebSocketFrame cont) {
      if (fragments != null && append(cont) && cont.isFinalFragment()) {
        CompositeByteBuf whole = fragments;
        fragments = null;
        try {
          onMessage(whole);
        } finally {
          whole.release();
        }
      }
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

  /** Adds a fragment; false (and the socket closed with 1009) once the message outgrows the limit. */
  private boolean append(WebSocketFrame fragment) {
    if (fragments.readableBytes() + fragment.content().readableBytes() > maxMessageBytes) {
      dropFragments();
      metrics.frameRejected("too_big");
      session.close(CloseCodes.TOO_BIG, "message too big", DisconnectReason.PROTOCOL);
      return false;
    }
    fragments.addComponent(true, fragment.content().retain());
    return true;
  }

  private void onMessage(ByteBuf content) {
    if (!ByteBufUtil.isText(content, StandardCharsets.UTF_8)) {
      metrics.frameRejected("invalid_utf8");
      session.close(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8", DisconnectReason.PROTOCOL);
      return;
    }
    session.onText(content.toString(StandardCharsets.UTF_8));
  }

  private void dropFragments() {
    if (fragments != null) {
      fragments.release();
      fragments = null;
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    dropFragments();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    dropFragments();
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
