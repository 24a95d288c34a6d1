package io.fleetcast.load.agent;

import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.ProtocolException;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One simulated agent: the agent side of SPEC section 1 (hello, ack, result, resultAck,
 * de-duplication by task id, re-sending unacknowledged results after a reconnect, reconnect
 * with full jitter). All of its state is confined to one Netty event loop, so it needs no
 * locks, and it holds no thread and no timer while idle: a few hundred bytes per agent.
 */
final class SimAgent {
  private static final int RECENT = 4;

  final int index;
  final int slot;
  final EventLoop loop;
  private final AgentFleet fleet;
  private Channel channel;
  private boolean welcomed;
  private boolean stopped = true;
  private int failures;
  private int attempts;
  private int node;
  private long retryDelayOverride = -1;
  private String redirectUrl;
  /** Tasks already run, newest last: a redelivered task is answered, never run again. */
  private final String[] recent = new String[RECENT];
  private int recentPos;
  /** Results not yet acknowledged (taskId -> frame); a real agent keeps these on disk. */
  private Map<String, String> unacked;
  /** Ingest scenario: position in each chain of steps, and when its outstanding result left. */
  private int[] chainCursor;
  private long[] chainSentNanos;
  /** Ingest scenario with a fixed offered rate: sends on a schedule, whatever the acknowledgements do. */
  private OpenLoopStream openLoop;

  SimAgent(AgentFleet fleet, int index, int slot, EventLoop loop, int homeNode) {
    this.fleet = fleet;
    this.index = index;
    this.slot = slot;
    this.loop = loop;
    this.node = homeNode;
  }

  /** Starts connecting (first attempt now); on the agent's loop. */
  void start() {
    stopped = false;
    AgentTimes.first(fleet.times.connectStart, slot, System.nanoTime());
    connect();
  }

  private void connect() {
    if (stopped || channel != null) {
      return;
    }
    attempts++;
    fleet.times.attempt.set(slot, System.nanoTime());
    fleet.stats.attempts.increment();
    fleet.stats.connecting.incrementAndGet();
    String url = redirectUrl != null ? redirectUrl : fleet.url(node);
    redirectUrl = null;
    fleet.open(this, url, attempts).addListener(f -> {
      if (!f.isSuccess()) {
        fleet.stats.connectError(f.cause());
        fleet.stats.connecting.decrementAndGet();
        failed();
      }
    });
  }

  /** The WebSocket upgrade succeeded: say hello. */
  void onOpen(Channel ch) {
    channel = ch;
    ch.writeAndFlush(new TextWebSocketFrame(Frames.hello(fleet.credentials.agentId(index), index)), ch.voidPromise());
  }

  /** A frame read from {@code from} at {@code nanos}, handled a moment later on this agent's loop. */
  void onText(Channel from, String text, long nanos) {
    if (from != channel) {
      // the connection it came from is gone (and maybe already replaced): a real agent would never see it
      return;
    }
    NodeMessage m;
    try {
      m = NodeMessage.decode(text);
    } catch (ProtocolException e) {
      fleet.stats.badFrames.increment();
      return;
    }
    if (m instanceof NodeMessage.Welcome) {
      onWelcome(nanos);
    } else if (m instanceof NodeMessage.Task t) {
      onTask(t.taskId(), nanos);
    } else if (m instanceof NodeMessage.ResultAck a) {
      onResultAck(a, nanos);
    } else if (m instanceof NodeMessage.WakeRelay w) {
      send(Frames.wakeDone(w.requestId(), w.targets().stream().map(NodeMessage.WakeTarget::mac).toList()));
    } else if (m instanceof NodeMessage.Reconnect r) {
      onReconnect(r);
    } else {
      fleet.stats.otherMessages.increment();
    }
  }

  private void onWelcome(long nanos) {
    if (welcomed) {
      return;
    }
    welcomed = true;
    failures = 0;
    fleet.stats.connecting.decrementAndGet();
    fleet.stats.connected.incrementAndGet();
    fleet.stats.welcomes.increment();
    fleet.times.welcome.set(slot, nanos);
    if (unacked != null && !unacked.isEmpty()) {
      // results the last node may not have stored: the node de-duplicates by (task, agent)
      for (String frame : unacked.values()) {
        fleet.stats.resent.increment();
        channel.write(new TextWebSocketFrame(frame), channel.voidPromise());
      }
      channel.flush();
    } else if (chainCursor != null) {
      for (int c = 0; c < chainCursor.length; c++) {
        sendIngest(c);
      }
    }
  }

  private void onTask(String taskId, long nanos) {
    fleet.stats.tasks.increment();
    AgentTimes.first(fleet.times.task, slot, nanos);
    if (ran(taskId)) {
      fleet.stats.duplicateTasks.increment();
      String stored = unacked == null ? null : unacked.get(taskId);
      send(stored != null ? stored : Frames.result(taskId, Instant.now(), Instant.now()));
      return;
    }
    remember(taskId);
    Instant started = Instant.now();
    int delay = fleet.taskMillis();
    int grace = fleet.config.ackGraceMillis();
    // as agent-lite: the ack waits for the grace and is left out when the result comes first
    if (grace <= 0) {
      ack(taskId);
    } else if (delay > grace) {
      loop.schedule(() -> {
        ack(taskId);
        if (channel != null) {
          channel.flush();
        }
      }, grace, TimeUnit.MILLISECONDS);
    }
    if (delay <= 0) {
      finish(taskId, started);
    } else {
      if (channel != null) {
        channel.flush();
      }
      loop.schedule(() -> finish(taskId, started), delay, TimeUnit.MILLISECONDS);
    }
  }

  private void ack(String taskId) {
    if (channel != null) {
      channel.write(new TextWebSocketFrame(Frames.ack(taskId)), channel.voidPromise());
      fleet.stats.acks.increment();
    }
  }

  private void finish(String taskId, Instant started) {
    String frame = Frames.result(taskId, started, Instant.now());
    unacked().put(taskId, frame);
    fleet.stats.results.increment();
    send(frame);
  }

  private void onResultAck(NodeMessage.ResultAck a, long nanos) {
    fleet.stats.resultAcks.increment();
    if (!a.stored()) {
      fleet.stats.resultRefused.increment();
    }
    if (unacked != null) {
      unacked.remove(a.taskId());
    }
    AgentTimes.first(fleet.times.resultAck, slot, nanos);
    if (openLoop != null) {
      long latency = openLoop.acknowledged(a.taskId(), nanos);
      if (latency >= 0) {
        fleet.ingestLatency.recordValue(latency / 1000);
      }
      return;
    }
    String[][] chains = fleet.ingestChains;
    if (chainCursor == null || chains == null) {
      return;
    }
    for (int c = 0; c < chainCursor.length; c++) {
      int k = chainCursor[c];
      if (k >= 0 && k < chains[c].length && chains[c][k].equals(a.taskId())) {
        fleet.ingestLatency.recordValue(Math.max(0, (nanos - chainSentNanos[c]) / 1000));
        fleet.stats.ingestOutstanding.decrement();
        chainCursor[c] = k + 1;
        sendIngest(c);
        return;
      }
    }
  }

  private void onReconnect(NodeMessage.Reconnect r) {
    fleet.stats.otherMessages.increment();
    redirectUrl = r.url();
    retryDelayOverride = Math.max(0, r.afterMillis());
    if (channel != null) {
      channel.close();
    }
  }

  /**
   * The ingest scenario's result streams: open loop when the fleet has a plan (one
   * {@link OpenLoopStream}), else closed loop, one per chain (a multi-step job), the next step's
   * result leaving when the last one is acknowledged, as a job's steps would.
   */
  void startIngest() {
    OpenLoopStream.Plan plan = fleet.openLoopPlan;
    if (plan != null) {
      openLoop = new OpenLoopStream(loop, this::sendResult, plan, fleet.stats);
      openLoop.start();
      return;
    }
    openLoop = null;
    int chains = fleet.ingestChains.length;
    chainCursor = new int[chains];
    chainSentNanos = new long[chains];
    if (welcomed) {
      for (int c = 0; c < chains; c++) {
        sendIngest(c);
      }
    }
  }

  private void sendIngest(int c) {
    String[][] chains = fleet.ingestChains;
    int k = chainCursor[c];
    if (chains == null || k < 0 || k >= chains[c].length || System.nanoTime() > fleet.ingestDeadline) {
      chainCursor[c] = -1;
      return;
    }
    chainSentNanos[c] = System.nanoTime();
    fleet.stats.ingestOutstanding.increment();
    sendResult(chains[c][k]);
  }

  /** An ingest result for a pre-provisioned task: kept until acknowledged, sent if connected. */
  private void sendResult(String taskId) {
    Instant now = Instant.now();
    String frame = Frames.result(taskId, now, now);
    unacked().put(taskId, frame);
    remember(taskId);
    fleet.stats.results.increment();
    send(frame);
  }

  void onRefused(int status, long retryAfterSeconds) {
    if (status == 401 || status == 403) {
      fleet.stats.refusedAuth.increment();
      retryDelayOverride = FullJitter.capMillis(fleet.config.backoffCapMillis());
    } else {
      fleet.stats.refusedBusy.increment();
      retryDelayOverride = FullJitter.retryAfterMillis(fleet.config.backoffBaseMillis(), Math.max(1, retryAfterSeconds));
    }
  }

  /** The socket is gone, whoever closed it. */
  void onClosed() {
    long now = System.nanoTime();
    channel = null;
    if (welcomed) {
      welcomed = false;
      fleet.stats.connected.decrementAndGet();
      fleet.stats.drops.increment();
      fleet.times.drop.set(slot, now);
    } else {
      fleet.stats.connecting.decrementAndGet();
    }
    failed();
  }

  private void failed() {
    if (stopped) {
      return;
    }
    long delay = retryDelayOverride >= 0 ? retryDelayOverride
        : FullJitter.delayMillis(fleet.config.backoffBaseMillis(), fleet.config.backoffCapMillis(), failures);
    retryDelayOverride = -1;
    failures++;
    // the node we lost may be down: try another one, chosen at random like a DNS round robin
    int n = fleet.nodeCount();
    if (n > 1) {
      node = (node + 1 + ThreadLocalRandom.current().nextInt(n - 1)) % n;
    }
    loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  void stop() {
    stopped = true;
    if (channel != null) {
      channel.close();
    }
  }

  private void send(String frame) {
    if (channel != null) {
      channel.writeAndFlush(new TextWebSocketFrame(frame), channel.voidPromise());
    }
  }

  private boolean ran(String taskId) {
    for (String t : recent) {
      if (taskId.equals(t)) {
        return true;
      }
    }
    return unacked != null && unacked.containsKey(taskId);
  }

  private void remember(String taskId) {
    recent[recentPos] = taskId;
    recentPos = (recentPos + 1) % RECENT;
  }

  private Map<String, String> unacked() {
    if (unacked == null) {
      unacked = new HashMap<>(4);
    }
    return unacked;
  }
}
