package io.fleetcast.node.agent;

import io.fleetcast.common.log.Kv;
import io.fleetcast.node.metrics.NodeMetrics.UpgradeRejection;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The agent WebSocket port, served by Netty directly: one small pipeline per socket and a
 * shared pre-encoded frame per fan-out keep the heap cost of an idle agent low and the
 * fan-out cheap (see README, "why Netty here").
 */
public final class AgentServer {
  private static final Logger LOG = Logger.getLogger(AgentServer.class.getName());

  /** Listener settings. */
  public record Options(String host, int port, int ioThreads, int maxFrameBytes, int handshakeTimeoutSeconds,
      SslContext ssl) {}

  private final Options options;
  private final AgentAuthenticator authenticator;
  private final UpgradeGuard guard;
  private final SessionServices services;
  private final HttpEndpoints endpoints;
  private final AcceptPacer pacer;
  private EventLoopGroup group;
  private Channel serverChannel;

  public AgentServer(Options options, AgentAuthenticator authenticator, UpgradeGuard guard, SessionServices services,
      HttpEndpoints endpoints) {
    this.options = options;
    this.authenticator = authenticator;
    this.guard = guard;
    this.services = services;
    this.endpoints = endpoints;
    this.pacer = new AcceptPacer(guard);
    // with fleetcast_agent_unauthenticated_connections, a storm's state at a glance: is accepting paused
    services.metrics().gauge("fleetcast.agent.accept.paused", "1 while the agent listener leaves newcomers in the accept queue",
        () -> pacer.paused() ? 1 : 0);
  }

  /** Binds the port; yields the port actually bound. */
  public Future<Integer> start() {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    int threads = options.ioThreads() > 0 ? options.ioThreads() : Runtime.getRuntime().availableProcessors();
    group = new MultiThreadIoEventLoopGroup(threads, io);
    Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    WebSocketDecoderConfig decoderConfig = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(options.maxFrameBytes())
        .allowExtensions(false) // no permessage-deflate: no inflater to bomb
        .expectMaskedFrames(true)
        .allowMaskMismatch(false)
        .closeOnProtocolViolation(true)
        .build();
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(channelType)
        .option(ChannelOption.SO_BACKLOG, 8192)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 1024 * 1024))
        // one allocator for all sockets (each keeps only its small handle), not one per socket
        .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator())
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            initConnection(ch, decoderConfig);
          }
        });
    Promise<Integer> bound = Promise.promise();
    b.bind(options.host(), options.port()).addListener(f -> {
      if (f.isSuccess()) {
        serverChannel = ((io.netty.channel.ChannelFuture) f).channel();
        pacer.bind(serverChannel);
        int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        LOG.info(Kv.event("agent_server.listening", "host", options.host(), "port", port, "transport",
            epoll ? "epoll" : "nio", "ioThreads", threads, "tls", options.ssl() != null));
        bound.complete(port);
      } else {
        bound.fail(f.cause());
      }
    });
    return bound.future();
  }

  private void initConnection(SocketChannel ch, WebSocketDecoderConfig decoderConfig) {
    // one place per connection until it says hello (or goes away), and a deadline for that; at the
    // cap the oldest unfinished connection may be evicted for this one (UpgradeGuard)
    UpgradeGuard.Pending slot = guard.enterPending(() -> {
      services.metrics().upgradeRejected(UpgradeRejection.TOO_MANY_PENDING);
      ch.close();
    });
    if (slot == null) {
      services.metrics().upgradeRejected(UpgradeRejection.TOO_MANY_PENDING);
      ch.close();
      pacer.full();
      return;
    }
    HandshakeAdmission admission = new HandshakeAdmission(ch, slot);
    admission.watch(ch.eventLoop().schedule(() -> {
      if (admission.expire()) {
        services.metrics().disconnected(io.fleetcast.node.metrics.NodeMetrics.DisconnectReason.HANDSHAKE_TIMEOUT);
        ch.close();
      }
    }, options.handshakeTimeoutSeconds(), TimeUnit.SECONDS));
    if (options.ssl() != null) {
      ch.pipeline().addLast("tls", options.ssl().newHandler(ch.alloc()));
    }
    ch.pipeline()
        .addLast("http", new HttpServerCodec(4096, 8192, 8192))
        .addLast("httpAggregate", new HttpObjectAggregator(16 * 1024))
        .addLast("gate", new HttpGate(authenticator, guard, services, endpoints, decoderConfig, admission));
  }

  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    if (serverChannel != null) {
      serverChannel.close();
    }
    if (group == null) {
      return Future.succeededFuture();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> done.tryComplete());
    return done.future();
  }
}
