package io.fleetcast.load.baseline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The few operations of the NATS client protocol (a text protocol: docs.nats.io, "Client
 * Protocol") that the baseline needs: INFO, MSG, PING, PONG, +OK, -ERR in; CONNECT, SUB,
 * PUB, PING, PONG out.
 */
final class NatsCodec {
  private NatsCodec() {}

  /** One server operation; {@code payload} is set for MSG only. */
  record Op(String kind, String subject, String payload) {}

  static ByteBuf connect(String name) {
    return text("CONNECT {\"verbose\":false,\"pedantic\":false,\"lang\":\"java\",\"version\":\"0\",\"protocol\":1,"
        + "\"name\":\"" + name + "\"}\r\n");
  }

  static ByteBuf sub(String subject, int sid) {
    return text("SUB " + subject + " " + sid + "\r\n");
  }

  static ByteBuf pub(String subject, String payload) {
    byte[] body = payload.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("PUB " + subject + " " + body.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
    return Unpooled.wrappedBuffer(head, body, new byte[] {'\r', '\n'});
  }

  static ByteBuf ping() {
    return text("PING\r\n");
  }

  static ByteBuf pong() {
    return text("PONG\r\n");
  }

  private static ByteBuf text(String s) {
    return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.US_ASCII));
  }

  /** Splits the server's byte stream into {@link Op}s. */
  static final class Decoder extends ByteToMessageDecoder {
    private static final int MAX_LINE = 64 * 1024;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      while (true) {
        int start = in.readerIndex();
        int eol = in.indexOf(start, in.writerIndex(), (byte) '\r');
        if (eol < 0 || eol + 1 >= in.writerIndex()) {
          if (in.readableBytes() > MAX_LINE) {
            throw new TooLongFrameException("NATS line too long");
          }
          return;
        }
        String line = in.toString(start, eol - start, StandardCharsets.UTF_8);
        if (line.startsWith("MSG ")) {
          String[] p = line.split(" ");
          int bytes = Integer.parseInt(p[p.length - 1]);
          int bodyAt = eol - start + 2;
          if (in.readableBytes() < bodyAt + bytes + 2) {
            return;
          }
          String payload = in.toString(start + bodyAt, bytes, StandardCharsets.UTF_8);
          in.skipBytes(bodyAt + bytes + 2);
          out.add(new Op("MSG", p[1], payload));
        } else {
          in.skipBytes(eol - start + 2);
          int sp = line.indexOf(' ');
          out.add(new Op(sp < 0 ? line : line.substring(0, sp), null, null));
        }
      }
    }
  }
}
