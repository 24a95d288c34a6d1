package io.fleetcast.load.baseline;

import io.fleetcast.load.agent.Frames;
import io.fleetcast.protocol.NodeMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

/** N NATS core subscribers on one subject; each message is answered with an ack published to {@code <subject>.ack}. */
public final class NatsSubscribers extends Subscribers {

  public NatsSubscribers(String host, int port, String subject, String sources, int from, int to, int ioThreads) {
    super(host, port, subject, sources, from, to, ioThreads);
  }

  @Override
  protected void init(Channel ch, int slot) {
    ch.pipeline().addLast(new NatsCodec.Decoder(), new Client(slot));
  }

  private final class Client extends Subscribers.Client<NatsCodec.Op> {
    Client(int slot) {
      super(slot);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, NatsCodec.Op op) {
      switch (op.kind()) {
        case "INFO" -> {
          ctx.write(NatsCodec.connect(topic + "-" + (from + slot)));
          ctx.write(NatsCodec.sub(topic, 1));
          // the PONG to this PING proves the subscription is registered
          ctx.writeAndFlush(NatsCodec.ping());
        }
        case "PONG" -> subscribed(ctx.channel());
        case "PING" -> ctx.writeAndFlush(NatsCodec.pong());
        case "MSG" -> {
          onMessage(slot, System.nanoTime());
          String taskId = ((NodeMessage.Task) NodeMessage.decode(op.payload())).taskId();
          ctx.writeAndFlush(NatsCodec.pub(topic + ".ack", Frames.ack(taskId)));
        }
        case "-ERR" -> errors.increment();
        default -> { }
      }
    }

  }
}
