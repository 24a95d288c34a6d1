package io.fleetcast.load.baseline;

import io.fleetcast.load.agent.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * What every broker probe has: one event loop, a publisher and a collector channel, and the count and
 * time of the last of the subscribers' replies. Subclasses speak the broker's protocol.
 */
abstract class ProbeChannels implements BrokerProbe {
  protected final EventLoopGroup group;
  private final LongAdder replies = new LongAdder();
  private final AtomicLong lastReplyNanos = new AtomicLong();
  protected Channel publisher;
  protected Channel collector;

  protected ProbeChannels(String threadName) {
    group = Transport.group(1, threadName);
  }

  /** Connects a channel with {@code pipeline}'s handlers; they complete {@code ready} once the broker accepted it. */
  protected CompletableFuture<Channel> connect(String host, int port, CompletableFuture<Channel> ready,
      Consumer<Channel> pipeline) {
    new Bootstrap().group(group).channel(Transport.socketChannel()).handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        pipeline.accept(ch);
      }
    }).connect(host, port).addListener(f -> {
      if (!f.isSuccess()) {
        ready.completeExceptionally(f.cause());
      }
    });
    return ready;
  }

  /** A subscriber's reply reached the collector. */
  protected void replied() {
    replies.increment();
    lastReplyNanos.accumulateAndGet(System.nanoTime(), Math::max);
  }

  /** Before a publish: count this round's replies only. */
  protected void resetReplies() {
    replies.reset();
    lastReplyNanos.set(0);
  }

  @Override
  public long replies() {
    return replies.sum();
  }

  @Override
  public long lastReplyNanos() {
    return lastReplyNanos.get();
  }

  @Override
  public void close() {
    if (publisher != null) {
      publisher.close();
    }
    if (collector != null) {
      collector.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3_000);
  }
}
