package io.fleetcast.node.agent;

import io.fleetcast.node.agent.AgentAuthenticator.Verdict;
import io.fleetcast.node.metrics.NodeMetrics;
import io.fleetcast.node.metrics.NodeMetrics.UpgradeRejection;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;

/**
 * The first handler of every agent-port connection: serves health and metrics, and turns an
 * authenticated {@code GET /agent/v1} into a WebSocket with a {@link FrameHandler}. Refusals
 * (401, 403, 503 + Retry-After) are answered before any upgrade. Removed after the upgrade.
 */
final class HttpGate extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String AGENT_PATH = "/agent/v1";

  private final AgentAuthenticator authenticator;
  private final UpgradeGuard guard;
  private final SessionServices services;
  private final HttpEndpoints endpoints;
  private final WebSocketDecoderConfig decoderConfig;
  private final HandshakeAdmission admission;

  HttpGate(AgentAuthenticator authenticator, UpgradeGuard guard, SessionServices services, HttpEndpoints endpoints,
      WebSocketDecoderConfig decoderConfig, HandshakeAdmission admission) {
    this.authenticator = authenticator;
    this.guard = guard;
    this.services = services;
    this.endpoints = endpoints;
    this.decoderConfig = decoderConfig;
    this.admission = admission;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (!req.decoderResult().isSuccess()) {
      metrics().upgradeRejected(UpgradeRejection.BAD_REQUEST);
      respond(ctx, HttpResponseStatus.BAD_REQUEST, "text/plain", "bad request");
      return;
    }
    String path = req.uri();
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    if (req.method() != HttpMethod.GET) {
      respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "method not allowed");
      return;
    }
    switch (path) {
      case "/health/live" -> respond(ctx, HttpResponseStatus.OK, "application/json", "{\"status\":\"up\"}");
      case "/health/ready" -> respond(ctx, endpoints.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
          "application/json", endpoints.readinessReport().encode());
      case "/metrics" -> respond(ctx, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", endpoints.scrape());
      case AGENT_PATH -> upgrade(ctx, req);
      default -> respond(ctx, HttpResponseStatus.NOT_FOUND, "text/plain", "not found");
    }
  }

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (!"websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE))) {
      metrics().upgradeRejected(UpgradeRejection.BAD_REQUEST);
      respond(ctx, HttpResponseStatus.BAD_REQUEST, "text/plain", "expected a WebSocket upgrade");
      return;
    }
    if (!endpoints.acceptingAgents()) {
      metrics().upgradeRejected(UpgradeRejection.NOT_READY);
      retryLater(ctx, "node is not taking agents");
      return;
    }
    if (!guard.tryUpgrade()) {
      metrics().upgradeRejected(UpgradeRejection.RATE_LIMITED);
      retryLater(ctx, "too many connections right now");
      return;
    }
    Verdict verdict = authenticator.check(req.headers().get(HttpHeaderNames.AUTHORIZATION));
    if (verdict instanceof Verdict.Unauthorized u) {
      metrics().upgradeRejected(UpgradeRejection.UNAUTHORIZED);
      FullHttpResponse res = response(HttpResponseStatus.UNAUTHORIZED, "text/plain", u.why());
      res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
      send(ctx, res);
      return;
    }
    if (verdict instanceof Verdict.Revoked) {
      metrics().upgradeRejected(UpgradeRejection.REVOKED);
      respond(ctx, HttpResponseStatus.FORBIDDEN, "text/plain", "agent revoked");
      return;
    }
    String agentId = ((Verdict.Accepted) verdict).agentId();
    admission.authenticated();
    WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
        "ws://" + req.headers().get(HttpHeaderNames.HOST, "node") + AGENT_PATH, null, decoderConfig).newHandshaker(req);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    AgentSession session = new AgentSession(agentId, new NettyAgentConnection(ctx.channel()), services, admission);
    ChannelPipeline p = ctx.pipeline();
    p.addLast("agent", new FrameHandler(session, metrics(), decoderConfig.maxFramePayloadLength()));
    handshaker.handshake(ctx.channel(), req).addListener(f -> {
      if (!f.isSuccess()) {
        ctx.close();
      }
    });
    p.remove(this);
  }

  private void retryLater(ChannelHandlerContext ctx, String why) {
    FullHttpResponse res = response(HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain", why);
    res.headers().set(HttpHeaderNames.RETRY_AFTER, guard.retryAfterSeconds());
    send(ctx, res);
  }

  private NodeMetrics metrics() {
    return services.metrics();
  }

  private static FullHttpResponse response(HttpResponseStatus status, String type, String body) {
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
    res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return res;
  }

  private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String type, String body) {
    send(ctx, response(status, type, body));
  }

  private static void send(ChannelHandlerContext ctx, FullHttpResponse res) {
    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
