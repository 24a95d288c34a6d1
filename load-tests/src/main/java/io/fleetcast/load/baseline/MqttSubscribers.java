package io.fleetcast.load.baseline;

import io.fleetcast.load.agent.Frames;
import io.fleetcast.protocol.NodeMessage;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;

/**
 * N MQTT 3.1.1 clients subscribed at QoS 1 to one topic. Each received message is PUBACKed
 * at once and answered with an application ack published at QoS 1 to {@code <topic>/ack}.
 */
public final class MqttSubscribers extends Subscribers {
  static final int KEEP_ALIVE_SECONDS = 600;

  public MqttSubscribers(String host, int port, String topic, String sources, int from, int to, int ioThreads) {
    super(host, port, topic, sources, from, to, ioThreads);
  }

  @Override
  protected void init(Channel ch, int slot) {
    ch.pipeline().addLast(new MqttDecoder(1 << 20), MqttEncoder.INSTANCE, new Client(slot));
  }

  static MqttMessage connect(String clientId) {
    return MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1).clientId(clientId)
        .cleanSession(true).keepAlive(KEEP_ALIVE_SECONDS).build();
  }

  static boolean accepted(MqttMessage m) {
    return m instanceof MqttConnAckMessage c && c.variableHeader().connectReturnCode()
        == MqttConnectReturnCode.CONNECTION_ACCEPTED;
  }

  private final class Client extends Subscribers.Client<MqttMessage> {
    private int nextId = 2;

    Client(int slot) {
      super(slot);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.writeAndFlush(connect(topic.replace('/', '-') + "-" + (from + slot)));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage m) {
      MqttMessageType type = m.fixedHeader().messageType();
      if (type == MqttMessageType.CONNACK) {
        if (!accepted(m)) {
          ctx.close();
          return;
        }
        ctx.writeAndFlush(MqttMessageBuilders.subscribe().addSubscription(MqttQoS.AT_LEAST_ONCE, topic).messageId(1)
            .build());
      } else if (type == MqttMessageType.SUBACK) {
        subscribed(ctx.channel());
      } else if (m instanceof MqttPublishMessage p) {
        onMessage(slot, System.nanoTime());
        if (p.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
          ctx.write(MqttMessageBuilders.pubAck().packetId(p.variableHeader().packetId()).build());
        }
        String taskId = ((NodeMessage.Task) NodeMessage.decode(p.payload().toString(StandardCharsets.UTF_8))).taskId();
        ctx.writeAndFlush(MqttMessageBuilders.publish().topicName(topic + "/ack").qos(MqttQoS.AT_LEAST_ONCE)
            .messageId(nextId).retained(false)
            .payload(Unpooled.wrappedBuffer(Frames.ack(taskId).getBytes(StandardCharsets.UTF_8))).build());
        nextId = nextId >= 65_535 ? 2 : nextId + 1;
      }
    }

  }
}
