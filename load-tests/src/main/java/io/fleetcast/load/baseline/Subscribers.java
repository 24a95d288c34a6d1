package io.fleetcast.load.baseline;

import io.fleetcast.load.agent.SourceAddresses;
import io.fleetcast.load.agent.Transport;
import io.fleetcast.load.report.Histograms;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * N broker subscribers in one process (the Mosquitto and NATS baselines), built like the
 * agent fleet: same transport, same loopback source-address spreading, a stamp per client
 * for the first message received, and an application-level ack sent back for each message
 * so that the client work matches a simulated agent's (parse the task, answer ack).
 */
public abstract class Subscribers implements AutoCloseable {
  protected final int from;
  protected final String topic;
  final AtomicLongArray received;
  final AtomicInteger ready = new AtomicInteger();
  final AtomicInteger connecting = new AtomicInteger();
  final LongAdder messages = new LongAdder();
  final LongAdder errors = new LongAdder();
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final EventLoopGroup group;
  private final Bootstrap template;
  private final SourceAddresses sources;
  private final InetSocketAddress broker;
  private volatile ScheduledFuture<?> pacer;

  protected Subscribers(String host, int port, String topic, String sources, int from, int to, int ioThreads) {
    this.from = from;
    this.topic = topic;
    this.received = new AtomicLongArray(to - from);
    this.group = Transport.group(ioThreads, "subscribers");
    this.sources = SourceAddresses.parse(sources);
    this.broker = new InetSocketAddress(host, port);
    this.template = new Bootstrap().group(group).channel(Transport.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
  }

  /** The pipeline of client {@code slot}; its handler calls {@link #onReady}, {@link #onMessage}, {@link #onGone}. */
  protected abstract void init(Channel ch, int slot);

  /** Connects every client, keeping at most {@code maxInFlight} handshakes open. */
  public synchronized void connect(int maxInFlight) {
    if (pacer != null) {
      return;
    }
    int[] cursor = {0};
    pacer = group.next().scheduleAtFixedRate(() -> {
      while (cursor[0] < received.length() && connecting.get() < maxInFlight) {
        int slot = cursor[0]++;
        connecting.incrementAndGet();
        template.clone().handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            init(ch, slot);
          }
        }).connect(broker, sources.pick(from + slot, 0)).addListener(f -> {
          if (!f.isSuccess()) {
            errors.increment();
            connecting.decrementAndGet();
          }
        });
      }
      if (cursor[0] >= received.length() && pacer != null) {
        pacer.cancel(false);
      }
    }, 1, 10, TimeUnit.MILLISECONDS);
  }

  protected void onReady(Channel ch) {
    channels.add(ch);
    connecting.decrementAndGet();
    ready.incrementAndGet();
  }

  protected void onMessage(int slot, long nanos) {
    messages.increment();
    if (received.get(slot) == 0) {
      received.set(slot, nanos);
    }
  }

  protected void onGone(boolean wasReady) {
    if (wasReady) {
      ready.decrementAndGet();
    } else {
      connecting.decrementAndGet();
      errors.increment();
    }
  }

  public void reset() {
    for (int i = 0; i < received.length(); i++) {
      received.set(i, 0);
    }
  }

  public JsonObject stats() {
    return new JsonObject().put("clients", received.length()).put("ready", ready.get())
        .put("connecting", connecting.get()).put("messages", messages.sum()).put("errors", errors.sum());
  }

  public JsonObject latencies(long t0) {
    return Histograms.since(received, t0);
  }

  /**
   * One subscriber's handler: which slot it is, whether the broker confirmed its subscription, and
   * what a lost or failing connection counts as. Subclasses speak the broker's protocol.
   */
  protected abstract class Client<T> extends SimpleChannelInboundHandler<T> {
    protected final int slot;
    private boolean ready;

    protected Client(int slot) {
      this.slot = slot;
    }

    /** The subscription is in place (once per connection). */
    protected void subscribed(Channel ch) {
      if (!ready) {
        ready = true;
        onReady(ch);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      onGone(ready);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      errors.increment();
      ctx.close();
    }
  }

  @Override
  public void close() {
    if (pacer != null) {
      pacer.cancel(false);
    }
    channels.close().awaitUninterruptibly(5_000);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
  }
}
