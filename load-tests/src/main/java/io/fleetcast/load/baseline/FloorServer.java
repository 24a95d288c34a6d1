package io.fleetcast.load.baseline;

import io.fleetcast.load.agent.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The floor: the least a WebSocket server can do for the same fan-out. It accepts agents
 * (no authentication, no persistence), answers hello with welcome and every result with an
 * immediate resultAck, and writes one pre-encoded frame to every socket on request. Same
 * Netty transport, thread count and socket options as a node's agent port, so the gap to a
 * node is what Fleetcast itself costs.
 */
public final class FloorServer implements AutoCloseable {
  private static final String PATH = "/agent/v1";

  private final EventLoopGroup group;
  private final ChannelGroup agents = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final LongAdder acks = new LongAdder();
  private final LongAdder results = new LongAdder();
  private final AtomicLong lastAckNanos = new AtomicLong();
  private final AtomicLong lastResultNanos = new AtomicLong();
  private final Channel server;

  public FloorServer(String host, int port, int ioThreads) {
    group = Transport.group(ioThreads, "floor");
    FrameHandler handler = new FrameHandler();
    server = new ServerBootstrap().group(group).channel(Transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 8192)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline()
                .addLast(new HttpServerCodec(4096, 8192, 8192))
                .addLast(new HttpObjectAggregator(16 * 1024))
                .addLast(new WebSocketServerProtocolHandler(PATH, null, false, 65_536))
                .addLast(handler);
          }
        })
        .bind(host, port).syncUninterruptibly().channel();
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Writes {@code frame} to every welcomed socket; yields when the writes were issued. */
  public JsonObject broadcast(String frame) {
    ByteBuf shared = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(frame.getBytes(StandardCharsets.UTF_8)));
    long start = System.nanoTime();
    int n = 0;
    for (Channel ch : agents) {
      ch.writeAndFlush(new TextWebSocketFrame(shared.duplicate()), ch.voidPromise());
      n++;
    }
    return new JsonObject().put("sent", n).put("startNanos", start).put("endNanos", System.nanoTime());
  }

  public void reset() {
    acks.reset();
    results.reset();
    lastAckNanos.set(0);
    lastResultNanos.set(0);
  }

  public JsonObject stats() {
    return new JsonObject().put("connected", agents.size()).put("acks", acks.sum()).put("results", results.sum())
        .put("lastAckNanos", lastAckNanos.get()).put("lastResultNanos", lastResultNanos.get());
  }

  @Override
  public void close() {
    server.close().awaitUninterruptibly(2_000);
    agents.close().awaitUninterruptibly(5_000);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
  }

  private static void max(AtomicLong a, long v) {
    a.accumulateAndGet(v, Math::max);
  }

  /** Minimal parsing by design: the frame's type is found by its prefix, as our generator writes it first. */
  @Sharable
  private final class FrameHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
      String text = frame.text();
      if (text.startsWith("{\"type\":\"ack\"")) {
        acks.increment();
        max(lastAckNanos, System.nanoTime());
      } else if (text.startsWith("{\"type\":\"result\"")) {
        results.increment();
        max(lastResultNanos, System.nanoTime());
        int at = text.indexOf("\"taskId\":\"") + 10;
        String taskId = text.substring(at, text.indexOf('"', at));
        ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"resultAck\",\"taskId\":\"" + taskId + "\"}"),
            ctx.voidPromise());
      } else if (text.startsWith("{\"type\":\"hello\"")) {
        ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"welcome\",\"nodeId\":\"floor\",\"heartbeatSeconds\":20,"
            + "\"serverTime\":\"" + Instant.now() + "\"}"), ctx.voidPromise());
        agents.add(ctx.channel());
      }
    }
  }
}
