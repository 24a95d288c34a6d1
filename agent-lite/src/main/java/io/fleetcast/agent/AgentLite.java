package io.fleetcast.agent;

import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.content.ContentModule;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The reference agent, embeddable: {@code new AgentLite(vertx, options).start()}. It enrolls
 * (or reuses its stored credentials), connects to a node, runs tasks and relays Wake-on-LAN
 * until {@link #stop()}. All its state lives on one Vert.x context; blocking work runs on a
 * worker pool. See agent-lite/README.md for options, state-dir layout and guarantees.
 *
 * <p>This class is the public face only: {@link AgentAssembly} builds the parts,
 * {@link AgentLifecycle} starts, stops and halts them, {@link FrameRouter} routes incoming frames.
 */
public final class AgentLite {
  private final AgentOptions options;
  private final Context context;
  private final List<AgentListener> listeners = new CopyOnWriteArrayList<>();
  private final ExecutedTasks executed = new ExecutedTasks();
  private final AgentAssembly parts;
  private final AgentLifecycle lifecycle;

  public AgentLite(Vertx vertx, AgentOptions options) {
    this.options = options;
    this.context = vertx.getOrCreateContext();
    listeners.add(executed);
    this.parts = new AgentAssembly(vertx, options, context, new ListenerFanout(listeners));
    this.lifecycle = new AgentLifecycle(parts);
    if (options.crashAfterResultSend()) {
      listeners.add(new CrashAfterResultSend(lifecycle::halt));
    }
  }

  /** Adds a listener; add it before {@link #start()} to see everything. */
  public AgentLite addListener(AgentListener listener) {
    listeners.add(listener);
    return this;
  }

  /** Enrolls or loads credentials, recovers the state dir and starts connecting; does not wait for a node. */
  public Future<Void> start() {
    return onContext(lifecycle::start);
  }

  /** Cancels running tasks (bounded wait for their results to reach disk), closes the connection. */
  public Future<Void> stop() {
    return onContext(lifecycle::stop);
  }

  /**
   * Ends this agent as if its process was killed: no goodbye, nothing acknowledged, running tasks
   * abandoned (in-process self-update tests restart an agent this way).
   */
  public void halt() {
    context.runOnContext(v -> lifecycle.halt());
  }

  /** Completes when the agent stopped: by {@link #stop()} or {@link #halt()}. */
  public Future<Void> stopped() {
    return lifecycle.stopped();
  }

  /** The content side (cache, peer server); null before start. */
  public ContentModule content() {
    return parts.content;
  }

  public String agentId() {
    return parts.agentId;
  }

  /** True between {@code welcome} and the end of that connection. */
  public boolean connected() {
    return lifecycle.connected();
  }

  /** Task ids whose kind started running in this process, in order (a repeat would mean a task ran twice). */
  public List<String> executedTaskIds() {
    return executed.ids();
  }

  public int pendingResults() {
    return parts.resultStore == null ? 0 : parts.resultStore.size();
  }

  public AgentOptions options() {
    return options;
  }

  private Future<Void> onContext(Supplier<Future<Void>> step) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> step.get().onComplete(done));
    return done.future();
  }
}
