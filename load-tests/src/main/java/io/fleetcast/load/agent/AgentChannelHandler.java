package io.fleetcast.load.agent;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;

/** Netty events of one agent connection -> its {@link SimAgent}. Pings are answered by the protocol handler. */
final class AgentChannelHandler extends ChannelInboundHandlerAdapter {
  private final SimAgent agent;

  AgentChannelHandler(SimAgent agent) {
    this.agent = agent;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      agent.onOpen(ctx.channel());
    } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      ctx.close();
    }
    super.userEventTriggered(ctx, evt);
  }

  /**
   * Stamps the arrival, then handles the frame after the current batch of reads: one thread
   * simulates thousands of agents, and answering one agent's task must not delay reading
   * (and stamping) the next agent's. Each real agent would have a CPU of its own.
   */
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    long now = System.nanoTime();
    try {
      if (msg instanceof TextWebSocketFrame text) {
        String s = text.text();
        Channel ch = ctx.channel();
        ch.eventLoop().execute(() -> agent.onText(ch, s, now));
      }
      // close frames: the protocol handler answers them and the socket closes; binary frames are not in the protocol
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    agent.onClosed();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof WebSocketClientHandshakeException h && h.response() != null) {
      String retry = h.response().headers().get(HttpHeaderNames.RETRY_AFTER);
      long seconds = 1;
      try {
        seconds = retry == null ? 1 : Long.parseLong(retry.trim());
      } catch (NumberFormatException e) {
        // a date form is not used by our nodes; one second is a safe floor
      }
      agent.onRefused(h.response().status().code(), seconds);
    }
    ctx.close();
  }
}
