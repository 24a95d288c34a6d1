package io.fleetcast.agent.content;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Measures the TCP connect latency to each source (in parallel, bounded by a timeout). */
public final class Prober {
  private final Vertx vertx;
  private final NetClient net;

  public Prober(Vertx vertx, int timeoutMillis) {
    this.vertx = vertx;
    this.net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(timeoutMillis));
  }

  /** Source name -> connect milliseconds, or {@link SourceRanking#UNREACHABLE}. */
  public Future<Map<String, Long>> probe(List<Source> sources) {
    Map<String, Long> out = new ConcurrentHashMap<>();
    List<Future<Void>> all = new ArrayList<>();
    for (Source s : sources) {
      URI u;
      try {
        u = URI.create(s.url());
      } catch (IllegalArgumentException e) {
        out.put(s.name(), SourceRanking.UNREACHABLE);
        continue;
      }
      int port = u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
      long start = System.nanoTime();
      all.add(net.connect(port, u.getHost()).compose(so -> {
        out.put(s.name(), Math.max(0, (System.nanoTime() - start) / 1_000_000));
        return so.close();
      }).recover(e -> {
        out.put(s.name(), SourceRanking.UNREACHABLE);
        return Future.succeededFuture();
      }));
    }
    return Future.join(all).transform(x -> Future.succeededFuture(Map.copyOf(out)));
  }
}
