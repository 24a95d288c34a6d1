package io.fleetcast.load.baseline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The coordinator's side of the NATS baseline: one publisher and one collector of the subscribers' acks. */
public final class NatsProbe extends ProbeChannels {
  private final String subject;

  public NatsProbe(String host, int port, String subject) throws Exception {
    super("nats-probe");
    this.subject = subject;
    collector = open(host, port, "collector", subject + ".ack").get(10, TimeUnit.SECONDS);
    publisher = open(host, port, "publisher", null).get(10, TimeUnit.SECONDS);
  }

  private CompletableFuture<Channel> open(String host, int port, String role, String sub) {
    CompletableFuture<Channel> ready = new CompletableFuture<>();
    return connect(host, port, ready, ch -> ch.pipeline().addLast(new NatsCodec.Decoder(),
        new SimpleChannelInboundHandler<NatsCodec.Op>() {
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
              case "MSG" -> replied();
              default -> { }
            }
          }
        }));
  }

  /** Publishes once; yields the nanoTime just before the write. */
  @Override
  public long publish(String payload, int sequence) {
    resetReplies();
    long t0 = System.nanoTime();
    publisher.writeAndFlush(NatsCodec.pub(subject, payload));
    return t0;
  }
}
