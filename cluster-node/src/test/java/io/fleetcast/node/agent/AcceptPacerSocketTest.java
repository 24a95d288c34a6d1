package io.fleetcast.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Over real sockets (epoll when available): a paused listener accepts the queued connections once places free, with no new arrival. */
@Timeout(30)
class AcceptPacerSocketTest {

  @Test
  void queuedConnectionsAreAcceptedWhenPlacesFree() throws Exception {
    // GIVEN a listener whose guard has 5 places, paced, on the transport production uses
    UpgradeGuard guard = new UpgradeGuard(1000, 5, TimeUnit.SECONDS.toNanos(30));
    AcceptPacer pacer = new AcceptPacer(guard);
    Queue<UpgradeGuard.Pending> held = new ConcurrentLinkedQueue<>();
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, io);
    Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    List<Socket> clients = new ArrayList<>();
    try {
      Channel listener = new ServerBootstrap().group(group).channel(type)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              UpgradeGuard.Pending p = guard.enterPending(ch::close);
              if (p == null) {
                refused.incrementAndGet();
                ch.close();
                pacer.full();
                return;
              }
              accepted.incrementAndGet();
              held.add(p);
            }
          }).bind("127.0.0.1", 0).sync().channel();
      pacer.bind(listener);
      int port = ((InetSocketAddress) listener.localAddress()).getPort();

      // WHEN clients connect one by one until a newcomer is refused and the listener pauses
      while (!pacer.paused()) {
        clients.add(connect(port));
        waitFor(() -> accepted.get() + refused.get() == clients.size() || pacer.paused());
      }
      int acceptedAtPause = accepted.get();
      int refusedAtPause = refused.get();
      // AND 10 more connect while it is paused
      for (int i = 0; i < 10; i++) {
        clients.add(connect(port));
      }
      Thread.sleep(300);

      // THEN the places are all taken and the 10 wait in the kernel's queue, neither accepted nor refused
      assertThat(acceptedAtPause).isEqualTo(5);
      assertThat(accepted.get()).isEqualTo(acceptedAtPause);
      assertThat(refused.get()).isEqualTo(refusedAtPause);

      // AND WHEN places are given back, with no new connection arriving, the queued ones are taken off the queue
      int total = clients.size();
      for (int round = 0; round < 20 && accepted.get() + refused.get() < total; round++) {
        UpgradeGuard.Pending p;
        while ((p = held.poll()) != null) {
          p.release();
        }
        int before = accepted.get();
        waitFor(() -> accepted.get() > before || accepted.get() + refused.get() >= total);
      }
      assertThat(accepted.get() + refused.get()).isEqualTo(total);
      assertThat(accepted.get()).isGreaterThan(acceptedAtPause);
    } finally {
      for (Socket s : clients) {
        s.close();
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  private static Socket connect(int port) throws Exception {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return s;
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }
}
