package io.fleetcast.gateway.http;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Refuses requests that carry both {@code Content-Length} and {@code Transfer-Encoding}
 * (RFC 9112 section 6.3: a proxy in front may frame the body by the other header, which is how
 * requests are smuggled). Netty's decoder silently drops the {@code Content-Length} and reads the
 * chunks, so the decoder of each API connection is replaced by one that marks such a request
 * invalid; {@link #isAmbiguous} recognises it in the server's invalid-request handler, which
 * answers 400 and closes the connection.
 *
 * <p>This reaches into Vert.x internals (the connection's Netty pipeline): Vert.x 5 has no option
 * for it. {@code SecurityApiConnectionsTest} fails if an upgrade changes the pipeline under us.
 */
final class StrictFraming {
  static final String DECODER = "httpDecoder";

  /** Marks the request: the decoder turns it into an invalid request with this cause. */
  static final class AmbiguousFramingException extends IllegalArgumentException {
    AmbiguousFramingException() {
      super("Content-Length together with Transfer-Encoding", null);
    }
  }

  private static final class Decoder extends VertxHttpRequestDecoder {
    Decoder(HttpServerOptions options) {
      super(options);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
      // thrown while reading the headers: Netty turns it into an invalid message and discards the rest
      throw new AmbiguousFramingException();
    }
  }

  private StrictFraming() {}

  /** Replaces the HTTP/1.x request decoder of a new connection; false if the pipeline is not the expected one. */
  static boolean install(HttpConnection conn, HttpServerOptions options) {
    if (!(conn instanceof ConnectionBase base)) {
      return false;
    }
    ChannelPipeline p = base.channel().pipeline();
    if (!(p.get(DECODER) instanceof VertxHttpRequestDecoder current) || current instanceof Decoder) {
      return false;
    }
    p.replace(DECODER, DECODER, new Decoder(options));
    return true;
  }

  static boolean isAmbiguous(HttpServerRequest request) {
    return request.decoderResult() != null && request.decoderResult().cause() instanceof AmbiguousFramingException;
  }
}
