package io.fleetcast.load.baseline;

import io.fleetcast.load.agent.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The coordinator's side of the NATS baseline: one publisher and one collector of the subscribers' acks. */
public final class NatsProbe implements BrokerProbe {
  private final EventLoopGroup group = Transport.group(1, "nats-probe");
  private final String subject;
  private final LongAdder replies = new LongAdder();
  private final AtomicLong lastReplyNanos = new AtomicLong();
  private final Channel publisher;
  private final Channel collector;

  public NatsProbe(String host, int port, String subject) throws Exception {
    this.subject = subject;
    collector = open(host, port, "collector", subject + ".ack").get(10, TimeUnit.SECONDS);
    publisher = open(host, port, "publisher", null).get(10, TimeUnit.SECONDS);
  }

  private CompletableFuture<Channel> open(String host, int port, String role, String sub) {
    CompletableFuture<Channel> ready = new CompletableFuture<>();
    new Bootstrap().group(group).channel(Transport.socketChannel()).handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast(new NatsCodec.Decoder(), new SimpleChannelInboundHandler<NatsCodec.Op>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, NatsCodec.Op op) {
            switch (op.kind()) {
              case "INFO" -> {
                ctx.write(NatsCodec.connect(subject + "-" + role));
                if (sub != null) {
                  ctx.write(NatsCodec.sub(sub, 1));
                }
                ctx.writeAndFlush(NatsCodec.ping());
              }
              case "PONG" -> ready.complete(ctx.channel());
              case "PING" -> ctx.writeAndFlush(NatsCodec.pong());
              case "MSG" -> {
                replies.increment();
                lastReplyNanos.accumulateAndGet(System.nanoTime(), Math::max);
              }
              default -> { }
            }
          }
        });
      }
    }).connect(host, port).addListener(f -> {
      if (!f.isSuccess()) {
        ready.completeExceptionally(f.cause());
      }
    });
    return ready;
  }

  /** Publishes once; yields the nanoTime just before the write. */
  @Override
  public long publish(String payload, int sequence) {
    replies.reset();
    lastReplyNanos.set(0);
    long t0 = System.nanoTime();
    publisher.writeAndFlush(NatsCodec.pub(subject, payload));
    return t0;
  }

  @Override
  public long replies() {
    return replies.sum();
  }

  @Override
  public long lastReplyNanos() {
    return lastReplyNanos.get();
  }

  @Override
  public void close() {
    publisher.close();
    collector.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3_000);
  }
}
