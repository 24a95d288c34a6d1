package io.fleetcast.gateway.wake;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Token buckets for magic packets: at most {@code globalRate} per second over everything and
 * {@code subnetRate} per second into any one subnet, each with one second of burst. Jobs wait
 * in a FIFO per subnet; subnets are served round robin, so one big subnet cannot starve the
 * others. A job costs its number of packets; a job dearer than a bucket's capacity runs when
 * the bucket is full and leaves it in debt, so large jobs are slowed rather than stuck.
 *
 * <p>A pure data structure driven by the caller's clock: no threads, no timers, not thread-safe
 * (the owner confines it to one Vert.x context and calls {@link #release} from a timer).
 *
 * @param <J> the job
 */
public final class WakePacer<J> {

  /** A released job and the subnet it was queued for. */
  public record Item<J>(String subnet, int cost, J job) {}

  private static final class Bucket {
    final double rate;
    final double capacity;
    double tokens;
    long last;

    Bucket(double rate, long now) {
      this.rate = rate;
      this.capacity = Math.max(1, rate);
      this.tokens = capacity;
      this.last = now;
    }

    void refill(long now) {
      if (now > last) {
        tokens = Math.min(capacity, tokens + rate * (now - last) / 1e9);
        last = now;
      }
    }

    boolean allows(int cost) {
      return tokens >= Math.min(cost, capacity);
    }

    /** Nanoseconds until {@link #allows} holds. */
    long wait(int cost) {
      double missing = Math.min(cost, capacity) - tokens;
      return missing <= 0 ? 0 : (long) Math.ceil(missing / rate * 1e9);
    }
  }

  private final double subnetRate;
  private final long maxQueued;
  private final Bucket global;
  private final Map<String, ArrayDeque<Item<J>>> queues = new HashMap<>();
  private final Map<String, Bucket> buckets = new HashMap<>();
  private final ArrayDeque<String> active = new ArrayDeque<>();
  private long queued;

  public WakePacer(double globalRate, double subnetRate, long maxQueued, long now) {
    this.subnetRate = subnetRate;
    this.maxQueued = maxQueued;
    this.global = new Bucket(globalRate, now);
  }

  /** Packets waiting. */
  public long queued() {
    return queued;
  }

  /** Whether {@code cost} more packets fit under the queue limit. */
  public boolean fits(long cost) {
    return queued + cost <= maxQueued;
  }

  /** Queues a job; false (and nothing queued) when the queue is full, unless {@code force}. */
  public boolean offer(String subnet, int cost, J job, boolean force) {
    if (!force && !fits(cost)) {
      return false;
    }
    ArrayDeque<Item<J>> q = queues.computeIfAbsent(subnet, k -> new ArrayDeque<>());
    if (q.isEmpty()) {
      active.addLast(subnet);
    }
    q.addLast(new Item<>(subnet, Math.max(1, cost), job));
    queued += Math.max(1, cost);
    return true;
  }

  /** Takes every job the buckets allow at {@code now}, one per subnet per round. */
  public List<Item<J>> release(long now) {
    List<Item<J>> out = new ArrayList<>();
    global.refill(now);
    boolean progress = true;
    while (progress && !active.isEmpty()) {
      progress = false;
      // subnets that had to wait keep their place ahead of those just served: round robin across calls too
      List<String> waited = new ArrayList<>();
      List<String> served = new ArrayList<>();
      while (!active.isEmpty()) {
        String subnet = active.pollFirst();
        ArrayDeque<Item<J>> q = queues.get(subnet);
        Item<J> head = q.peekFirst();
        Bucket b = bucket(subnet, now);
        boolean go = global.allows(head.cost()) && b.allows(head.cost());
        if (go) {
          q.pollFirst();
          global.tokens -= head.cost();
          b.tokens -= head.cost();
          queued -= head.cost();
          out.add(head);
          progress = true;
        }
        if (q.isEmpty()) {
          queues.remove(subnet);
        } else {
          (go ? served : waited).add(subnet);
        }
      }
      active.addAll(waited);
      active.addAll(served);
    }
    forgetIdleBuckets(now);
    return out;
  }

  /** Nanoseconds until the next job may leave (0: now); -1 when nothing waits. */
  public long nextRelease(long now) {
    if (active.isEmpty()) {
      return -1;
    }
    global.refill(now);
    long best = Long.MAX_VALUE;
    for (String subnet : active) {
      int cost = queues.get(subnet).peekFirst().cost();
      long w = Math.max(global.wait(cost), bucket(subnet, now).wait(cost));
      best = Math.min(best, w);
    }
    return best;
  }

  private Bucket bucket(String subnet, long now) {
    Bucket b = buckets.computeIfAbsent(subnet, k -> new Bucket(subnetRate, now));
    b.refill(now);
    return b;
  }

  /** A bucket that is full again and has nothing queued carries no information: drop it. */
  private void forgetIdleBuckets(long now) {
    if (buckets.size() <= queues.size() + 64) {
      return;
    }
    for (Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Bucket> e = it.next();
      if (!queues.containsKey(e.getKey())) {
        e.getValue().refill(now);
        if (e.getValue().tokens >= e.getValue().capacity) {
          it.remove();
        }
      }
    }
  }
}
