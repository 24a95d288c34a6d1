package io.fleetcast.load.baseline;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The coordinator's side of the Mosquitto baseline: one publisher (the single QoS 1 publish
 * to all subscribers) and one collector counting the subscribers' acks. The collector
 * subscribes at QoS 0 so that the broker's in-flight window for it cannot slow the count.
 */
public final class MqttProbe extends ProbeChannels {
  private final String topic;
  private final AtomicLong pubAckNanos = new AtomicLong();

  public MqttProbe(String host, int port, String topic) throws Exception {
    super("mqtt-probe");
    this.topic = topic;
    collector = open(host, port, "collector", true).get(10, TimeUnit.SECONDS);
    publisher = open(host, port, "publisher", false).get(10, TimeUnit.SECONDS);
  }

  private CompletableFuture<Channel> open(String host, int port, String role, boolean subscribe) {
    CompletableFuture<Channel> ready = new CompletableFuture<>();
    return connect(host, port, ready, ch -> ch.pipeline().addLast(new MqttDecoder(1 << 20), MqttEncoder.INSTANCE,
        new SimpleChannelInboundHandler<MqttMessage>() {
          @Override
          public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(MqttSubscribers.connect(topic.replace('/', '-') + "-" + role));
          }

          @Override
          protected void channelRead0(ChannelHandlerContext ctx, MqttMessage m) {
            MqttMessageType type = m.fixedHeader().messageType();
            if (type == MqttMessageType.CONNACK) {
              if (!MqttSubscribers.accepted(m)) {
                ready.completeExceptionally(new IllegalStateException("broker refused " + role));
              } else if (subscribe) {
                ctx.writeAndFlush(MqttMessageBuilders.subscribe().addSubscription(MqttQoS.AT_MOST_ONCE, topic + "/ack")
                    .messageId(1).build());
              } else {
                ready.complete(ctx.channel());
              }
            } else if (type == MqttMessageType.SUBACK) {
              ready.complete(ctx.channel());
            } else if (m instanceof MqttPublishMessage) {
              replied();
            } else if (type == MqttMessageType.PUBACK) {
              pubAckNanos.set(System.nanoTime());
            }
          }
        }));
  }

  /** Publishes once at QoS 1; yields the nanoTime just before the write. */
  @Override
  public long publish(String payload, int messageId) {
    resetReplies();
    pubAckNanos.set(0);
    MqttMessage m = MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.AT_LEAST_ONCE).messageId(messageId)
        .retained(false).payload(Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8))).build();
    long t0 = System.nanoTime();
    publisher.writeAndFlush(m);
    return t0;
  }

  public long pubAckNanos() {
    return pubAckNanos.get();
  }
}
