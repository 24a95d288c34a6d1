package io.fleetcast.load.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NatsCodecTest {

  /** Server operations split across reads come out whole, MSG with its payload. */
  @Test
  void decodesOperationsAcrossReads() {
    EmbeddedChannel ch = new EmbeddedChannel(new NatsCodec.Decoder());
    String stream = "INFO {\"server_id\":\"x\"}\r\nPING\r\nMSG fc.a 1 11\r\n{\"k\":\"v\"} x\r\n+OK\r\n";
    byte[] b = stream.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < b.length; i += 7) {
      ch.writeInbound(Unpooled.wrappedBuffer(b, i, Math.min(7, b.length - i)));
    }
    assertThat(((NatsCodec.Op) ch.readInbound()).kind()).isEqualTo("INFO");
    assertThat(((NatsCodec.Op) ch.readInbound()).kind()).isEqualTo("PING");
    NatsCodec.Op msg = ch.readInbound();
    assertThat(msg.kind()).isEqualTo("MSG");
    assertThat(msg.subject()).isEqualTo("fc.a");
    assertThat(msg.payload()).isEqualTo("{\"k\":\"v\"} x");
    assertThat(((NatsCodec.Op) ch.readInbound()).kind()).isEqualTo("+OK");
    assertThat((Object) ch.readInbound()).isNull();
  }

  /** PUB carries the payload's byte length, as the protocol requires. */
  @Test
  void pubCountsBytes() {
    assertThat(NatsCodec.pub("s", "hé").toString(StandardCharsets.UTF_8)).isEqualTo("PUB s 3\r\nhé\r\n");
  }
}
