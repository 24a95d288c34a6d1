package io.fleetcast.node.agent;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.fleetcast.protocol.CloseCodes;
import java.net.InetSocketAddress;

/** An {@link AgentConnection} over a Netty channel that has completed the WebSocket upgrade. */
final class NettyAgentConnection implements AgentConnection {
  private final Channel channel;

  NettyAgentConnection(Channel channel) {
    this.channel = channel;
  }

  @Override
  public void send(String text) {
    if (writable()) {
      channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
    }
  }

  @Override
  public void send(EncodedFrame frame) {
    if (writable()) {
      // wraps the shared bytes: no copy and no re-encoding per agent
      channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame.utf8())), channel.voidPromise());
    }
  }

  /** An agent that does not read its socket must not grow our heap: past the high-water mark it is dropped. */
  private boolean writable() {
    if (!channel.isActive()) {
      return false;
    }
    if (!channel.isWritable()) {
      close(CloseCodes.TRY_AGAIN_LATER, "not reading");
      return false;
    }
    return true;
  }

  @Override
  public void close(int code, String reason) {
    if (channel.isActive()) {
      String r = reason.length() > 120 ? reason.substring(0, 120) : reason;
      channel.writeAndFlush(new CloseWebSocketFrame(code, r)).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void setReading(boolean reading) {
    channel.config().setAutoRead(reading);
  }

  @Override
  public void ping() {
    if (channel.isActive()) {
      channel.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
    }
  }

  @Override
  public java.util.concurrent.Executor ioThread() {
    return channel.eventLoop();
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public String remoteAddress() {
    return channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() + ":" + a.getPort()
        : String.valueOf(channel.remoteAddress());
  }
}
