package io.fleetcast.load.agent;

import io.fleetcast.load.report.Histograms;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The simulated agents of one generator process: thousands of WebSockets on a few Netty
 * event loops, no thread and no timer per agent. Thread-safe entry points; all per-agent
 * work runs on the agent's own loop.
 */
public final class AgentFleet implements AutoCloseable {
  final FleetConfig config;
  final Credentials credentials;
  final FleetStats stats = new FleetStats();
  final AgentTimes times;
  final Recorder ingestLatency = new Recorder(3);
  volatile String[][] ingestChains;
  volatile long ingestDeadline;
  volatile OpenLoopStream.Plan openLoopPlan;

  private final EventLoopGroup group;
  private final Bootstrap template;
  private final SourceAddresses sources;
  private final URI[] uris;
  private final InetSocketAddress[] remotes;
  private final SimAgent[] agents;
  private volatile ScheduledFuture<?> pacer;

  /** Agents {@code from} (inclusive) to {@code to} (exclusive) of the run. */
  public AgentFleet(FleetConfig config, Credentials credentials, int from, int to) {
    this.config = config;
    this.credentials = credentials;
    this.group = Transport.group(config.ioThreads(), "agents");
    this.sources = SourceAddresses.parse(config.sources());
    this.uris = config.urls().stream().map(URI::create).toArray(URI[]::new);
    this.remotes = new InetSocketAddress[uris.length];
    for (int i = 0; i < uris.length; i++) {
      remotes[i] = new InetSocketAddress(uris[i].getHost(), uris[i].getPort());
    }
    this.template = new Bootstrap().channel(Transport.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .option(ChannelOption.SO_REUSEADDR, true);
    this.agents = new SimAgent[to - from];
    this.times = new AgentTimes(agents.length);
    for (int i = 0; i < agents.length; i++) {
      int index = from + i;
      agents[i] = new SimAgent(this, index, i, (EventLoop) group.next(), index % uris.length);
    }
  }

  public int size() {
    return agents.length;
  }

  int nodeCount() {
    return uris.length;
  }

  String url(int node) {
    return config.urls().get(node);
  }

  int taskMillis() {
    int min = config.taskMinMillis();
    int max = config.taskMaxMillis();
    return max <= min ? min : ThreadLocalRandom.current().nextInt(min, max + 1);
  }

  /** Opens one agent's socket (bound to a loopback source address) and starts the WebSocket upgrade. */
  ChannelFuture open(SimAgent agent, String url, int attempt) {
    URI uri = URI.create(url);
    InetSocketAddress remote = remoteFor(uri);
    WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(uri)
        .customHeaders(new DefaultHttpHeaders().set(HttpHeaderNames.AUTHORIZATION, credentials.authorization(agent.index)))
        .maxFramePayloadLength(65_536)
        .handshakeTimeoutMillis(config.handshakeTimeoutMillis())
        .dropPongFrames(true)
        .build();
    Bootstrap b = template.clone(agent.loop).handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline()
            .addLast(new HttpClientCodec(4096, 8192, 8192))
            .addLast(new HttpObjectAggregator(8192))
            .addLast(new WebSocketClientProtocolHandler(ws))
            .addLast(new AgentChannelHandler(agent));
      }
    });
    return b.connect(remote, sources.pick(agent.index, attempt));
  }

  private InetSocketAddress remoteFor(URI uri) {
    for (int i = 0; i < uris.length; i++) {
      if (uris[i].getHost().equals(uri.getHost()) && uris[i].getPort() == uri.getPort()) {
        return remotes[i];
      }
    }
    return new InetSocketAddress(uri.getHost(), uri.getPort());
  }

  /**
   * Starts every agent, at most {@code ratePerSecond} new connections per second (0 = as fast
   * as the {@code maxInFlight} window allows) with at most {@code maxInFlight} handshakes open.
   */
  public synchronized void connect(double ratePerSecond, int maxInFlight) {
    if (pacer != null) {
      return;
    }
    EventLoop loop = group.next();
    int[] cursor = {0};
    double[] allowance = {0};
    pacer = loop.scheduleAtFixedRate(() -> {
      allowance[0] = ratePerSecond <= 0 ? Double.MAX_VALUE : Math.min(allowance[0] + ratePerSecond / 100, ratePerSecond);
      while (cursor[0] < agents.length && stats.connecting.get() < maxInFlight && allowance[0] >= 1) {
        allowance[0]--;
        SimAgent a = agents[cursor[0]++];
        a.loop.execute(a::start);
      }
      if (cursor[0] >= agents.length && pacer != null) {
        pacer.cancel(false);
      }
    }, 1, 10, TimeUnit.MILLISECONDS);
  }

  public JsonObject stats() {
    return stats.toJson().put("agents", agents.length);
  }

  public JsonObject errorKinds() {
    return stats.errorKinds();
  }

  /** Forgets the first-task / first-resultAck / connect-start stamps before a measured step. */
  public void reset() {
    times.reset();
  }

  /** Per-agent delays from {@code t0} (a nanoTime of this machine) to the first task and to the first resultAck. */
  public JsonObject latencies(long t0) {
    return new JsonObject().put("task", Histograms.since(times.task, t0))
        .put("resultAck", Histograms.since(times.resultAck, t0));
  }

  /**
   * Connect attempt start -> welcome, for agents welcomed since the last reset; and when each
   * was welcomed, from {@code t0} (for the steady connect rate between 10% and 90% connected).
   */
  public JsonObject connectLatencies(long t0) {
    JsonObject out = connectLatencies();
    return out.put("welcomed", Histograms.since(times.welcome, t0));
  }

  private JsonObject connectLatencies() {
    Histogram h = Histograms.micros();
    long first = Long.MAX_VALUE;
    long last = 0;
    for (int i = 0; i < agents.length; i++) {
      long s = times.connectStart.get(i);
      long w = times.welcome.get(i);
      if (s != 0 && w > s) {
        h.recordValue((w - s) / 1000);
        first = Math.min(first, s);
        last = Math.max(last, w);
      }
    }
    return new JsonObject().put("count", h.getTotalCount()).put("firstStartNanos", first == Long.MAX_VALUE ? 0 : first)
        .put("lastWelcomeNanos", last).put("hist", Histograms.encode(h));
  }

  /**
   * Agents that lost their connection after {@code since}, how many are back, and when: the
   * welcome ({@code hist}) and the drop ({@code dropped.hist}) measured from {@code since}.
   */
  public JsonObject reconnects(long since) {
    Histogram welcomed = Histograms.micros();
    Histogram noticed = Histograms.micros();
    Histogram handshake = Histograms.micros();
    int dropped = 0;
    int back = 0;
    for (int i = 0; i < agents.length; i++) {
      long d = times.drop.get(i);
      if (d > since) {
        dropped++;
        noticed.recordValue((d - since) / 1000);
        long w = times.welcome.get(i);
        if (w > d) {
          back++;
          welcomed.recordValue((w - since) / 1000);
          handshake.recordValue(Math.max(0, w - times.attempt.get(i)) / 1000);
        }
      }
    }
    return new JsonObject().put("dropped", dropped).put("back", back).put("hist", Histograms.encode(welcomed))
        .put("dropNoticed", new JsonObject().put("hist", Histograms.encode(noticed)))
        .put("lastHandshake", new JsonObject().put("hist", Histograms.encode(handshake)));
  }

  /** Starts the closed-loop result streams of the ingest scenario for {@code millis}. */
  public void ingest(String[][] chains, long millis) {
    openLoopPlan = null;
    ingestChains = chains;
    ingestDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    startIngest();
  }

  /**
   * Starts the open-loop result streams of the ingest scenario for {@code millis}: every agent
   * answers {@code tasks} in order, one result per {@code schedule} period, acknowledged or not.
   */
  public void ingestOpenLoop(String[] tasks, OpenLoopSchedule schedule, long millis) {
    long now = System.nanoTime();
    ingestChains = null;
    openLoopPlan = new OpenLoopStream.Plan(tasks, schedule, now, now + TimeUnit.MILLISECONDS.toNanos(millis));
    startIngest();
  }

  private void startIngest() {
    ingestLatency.reset();
    for (SimAgent a : agents) {
      a.loop.execute(a::startIngest);
    }
  }

  /** result -> resultAck latencies recorded since the last call. */
  public JsonObject ingestLatencies() {
    return new JsonObject().put("hist", Histograms.encode(ingestLatency.getIntervalHistogram()));
  }

  @Override
  public void close() {
    synchronized (this) {
      if (pacer != null) {
        pacer.cancel(false);
      }
    }
    for (SimAgent a : agents) {
      a.loop.execute(a::stop);
    }
    group.shutdownGracefully(100, 3_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(10_000);
  }
}
