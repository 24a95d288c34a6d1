package io.fleetcast.gateway.rollout;

import io.fleetcast.common.bus.Addresses;
import io.fleetcast.common.bus.ProgressMessage;
import io.fleetcast.common.rollout.RolloutState;
import io.fleetcast.common.rollout.SqlStates;
import io.fleetcast.common.rollout.TargetState;
import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.error.DomainError;
import io.fleetcast.gateway.error.FieldError;
import io.fleetcast.gateway.rollout.RolloutStore.TargetStep;
import io.fleetcast.gateway.rollout.RolloutStore.TaskRecord;
import io.fleetcast.protocol.NodeMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Creating and steering rollouts: what the API does, with the audit row written in the same transaction. */
public final class RolloutService {

  /**
   * A created rollout: its id, how many targets it names, its state, and what the creating
   * transaction resolved and claimed of its first wave (sent as soon as the engine adopts it).
   */
  public record Created(UUID id, int targets, String state, TargetResolver.Chunk first, List<TaskRecord> tasks) {

    Created withTargets(int n) {
      return new Created(id, n, state, first, tasks);
    }
  }

  private final Vertx vertx;
  private final RolloutStore store;
  private final AuditLog audit;
  private final TaskSigner signer;
  private final RolloutEngine engine;
  private final String gatewayId;

  public RolloutService(Vertx vertx, RolloutStore store, AuditLog audit, TaskSigner signer, RolloutEngine engine,
      String gatewayId) {
    this.vertx = vertx;
    this.store = store;
    this.audit = audit;
    this.signer = signer;
    this.engine = engine;
    this.gatewayId = gatewayId;
  }

  /**
   * Creates a rollout and starts it: one short transaction commits the rollout and its first
   * chunk of targets (claimed), the engine sends those at once, and only then is the selector
   * counted for the answer. The other targets are resolved by the engine in the background.
   */
  public Future<Created> create(RolloutSpec spec, Principal who, String remote) {
    long asked = System.nanoTime();
    long[] begun = new long[1];
    return store.pool().withTransaction(tx -> {
          begun[0] = System.nanoTime();
          return createIn(tx, spec, who, remote, null, null);
        })
        .map(c -> {
          engine.adopt(c, new CreateTiming(asked, begun[0], System.nanoTime()));
          return c;
        })
        .compose(c -> c.targets() >= 0 ? Future.succeededFuture(c)
            : store.resolver().count(store.pool(), c.id(), spec.targets()).map(c::withTargets));
  }

  /**
   * Creates the rollout inside the caller's transaction (the audit row first, then the rollout,
   * its signed tasks and its targets). The caller must {@link #adopt} it after commit.
   */
  public Future<Created> createIn(io.vertx.sqlclient.SqlConnection tx, RolloutSpec spec, Principal who, String remote,
      UUID scheduleId, Instant scheduledFor) {
    return resolver.resolve(spec).compose(steps -> createResolved(tx, new RolloutSpec(spec.name(), steps,
        spec.targets(), spec.strategy(), spec.request()), who, remote, scheduleId, scheduledFor));
  }

  /**
   * Rewrites a rollout's steps before their tasks are signed: software distribution resolves an
   * {@code install} of a catalog package to the content hash, sources and program it names.
   */
  public interface StepResolver {
    Future<List<StepSpec>> resolve(RolloutSpec spec);
  }

  private StepResolver resolver = spec -> Future.succeededFuture(spec.steps());

  public RolloutService withResolver(StepResolver stepResolver) {
    this.resolver = stepResolver;
    return this;
  }

  private Future<Created> createResolved(io.vertx.sqlclient.SqlConnection tx, RolloutSpec spec, Principal who,
      String remote, UUID scheduleId, Instant scheduledFor) {
    return store.reads().unknownAgents(tx, spec.targets().agents()).compose(unknown -> {
      if (!unknown.isEmpty()) {
        List<FieldError> errs = new ArrayList<>();
        for (int i = 0; i < spec.targets().agents().size() && errs.size() < 20; i++) {
          if (unknown.contains(spec.targets().agents().get(i))) {
            errs.add(new FieldError("targets.agents[" + i + "]", "no enrolled agent with this id"));
          }
        }
        return Future.failedFuture(DomainError.invalid(errs));
      }
      UUID id = UUID.randomUUID();
      List<TaskRecord> tasks = signedTasks(id, spec);
      RolloutState state = spec.strategy().startAfter() != null && spec.strategy().startAfter().isAfter(Instant.now())
          ? RolloutState.SCHEDULED : RolloutState.RUNNING;
      // issued together, not one after the other: the connection pipelines them and Postgres runs
      // them in this order, so the first frames wait for a few round trips less (time to first byte)
      Future<Long> audited = audit.append(tx, who.actor(), who.role().wire(), "rollout.create", id.toString(), remote,
          new JsonObject().put("name", spec.name()).put("request", spec.request()));
      Future<Void> inserted = store.insert(tx, id, spec, state, tasks, who.actor(), gatewayId, scheduleId, scheduledFor);
      Future<First> first = firstChunk(tx, id, spec, state);
      return Future.join(audited, inserted, first).map(x -> new Created(id, first.result().total(), state.wire(),
          first.result().chunk(), tasks));
    });
  }

  private record First(TargetResolver.Chunk chunk, int total) {}

  /**
   * When a rollout's creation was asked, when its transaction had a connection and had begun, and
   * when it committed ({@code System.nanoTime}): logged with the first send (time to first byte).
   */
  record CreateTiming(long askedNanos, long begunNanos, long committedNanos) {
    static final CreateTiming NONE = new CreateTiming(0, 0, 0);
  }

  /**
   * Resolves the first chunk in the creating transaction. When the first wave is all targets, its
   * online targets are claimed up to {@code maxInFlight} (total: -1, counted after the commit);
   * when it is a share, the total is counted first, since the share needs it.
   */
  private Future<First> firstChunk(io.vertx.sqlclient.SqlConnection tx, UUID id, RolloutSpec spec, RolloutState state) {
    Strategy s = spec.strategy();
    int inFlight = s.maxInFlight() == null ? Integer.MAX_VALUE : s.maxInFlight();
    boolean running = state == RolloutState.RUNNING;
    if (s.waves().get(0) >= 100) {
      TargetResolver.Budget b = new TargetResolver.Budget(Integer.MAX_VALUE, running ? inFlight : 0);
      return store.resolver().first(tx, id, spec.targets(), b).map(c -> new First(c, c.done() ? c.resolved() : -1));
    }
    return store.resolver().count(tx, id, spec.targets()).compose(total -> {
      int cap = new WavePolicy(s.waves(), s.maxInFlight(), s.maxFailurePercent()).cap(0, total);
      TargetResolver.Budget b = new TargetResolver.Budget(cap, running ? Math.min(cap, inFlight) : 0);
      return store.resolver().first(tx, id, spec.targets(), b).map(c -> new First(c, total));
    });
  }

  /** Hands a committed rollout to this gateway's engine. */
  public Created adopt(Created c) {
    engine.adopt(c);
    return c;
  }

  private List<TaskRecord> signedTasks(UUID rolloutId, RolloutSpec spec) {
    List<TaskRecord> out = new ArrayList<>();
    Instant deadline = spec.strategy().expiresAt();
    for (int i = 0; i < spec.steps().size(); i++) {
      StepSpec step = spec.steps().get(i);
      UUID taskId = UUID.randomUUID();
      NodeMessage.Task task = signer.sign(new NodeMessage.Task(taskId.toString(), rolloutId.toString(), i, step.kind(),
          step.spec(), deadline, spec.strategy().startAfter(), spec.strategy().requireConsent(), spec.targets().scope(),
          null, null));
      out.add(new TaskRecord(taskId, i, step.kind(), step.spec(), step.continueOn(), deadline, task.encode()));
    }
    return out;
  }

  public Future<JsonObject> cancel(UUID id, Principal who, String remote) {
    String reason = "rollout cancelled by " + who.name();
    return store.pool().withTransaction(tx -> lockedState(tx, id)
            .compose(state -> {
              if (!RolloutState.ACTIVE.contains(state)) {
                return Future.failedFuture(DomainError.conflict("rollout is " + state.wire()
                    + "; only an active rollout can be cancelled"));
              }
              return audit.append(tx, who.actor(), who.role().wire(), "rollout.cancel", id.toString(), remote, null)
                  .compose(seq -> store.setState(tx, id, state, RolloutState.CANCELLED, reason))
                  .compose(x -> store.finishOpenTargets(tx, id, TargetState.CANCELLED, reason));
            }))
        .compose((List<TargetStep> inFlight) -> engine.cancelOnAgents(id, inFlight))
        .compose(v -> notifyOwner(id))
        .compose(v -> describe(id));
  }

  public Future<JsonObject> pause(UUID id, Principal who, String remote) {
    return transition(id, who, remote, "rollout.pause", List.of(RolloutState.RUNNING, RolloutState.SCHEDULED),
        RolloutState.PAUSED, "paused by " + who.name());
  }

  public Future<JsonObject> resume(UUID id, Principal who, String remote) {
    return transition(id, who, remote, "rollout.resume", List.of(RolloutState.PAUSED), RolloutState.RUNNING,
        "resumed by " + who.name());
  }

  private Future<JsonObject> transition(UUID id, Principal who, String remote, String action, List<RolloutState> from,
      RolloutState to, String reason) {
    return store.pool().withTransaction(tx -> lockedState(tx, id)
            .compose(state -> {
              if (!from.contains(state)) {
                return Future.failedFuture(DomainError.conflict("rollout is " + state.wire() + "; cannot "
                    + action.substring(8) + " (allowed from " + String.join(", ", SqlStates.wires(from)) + ")"));
              }
              return audit.append(tx, who.actor(), who.role().wire(), action, id.toString(), remote, null)
                  .compose(seq -> store.setState(tx, id, state, to, reason));
            }))
        .compose(v -> notifyOwner(id))
        .compose(v -> describe(id));
  }

  /** The rollout's state, its row locked until the transaction ends; fails with not-found when there is none. */
  private static Future<RolloutState> lockedState(io.vertx.sqlclient.SqlConnection tx, UUID id) {
    return tx.preparedQuery("SELECT state FROM rollouts WHERE id = $1 FOR UPDATE")
        .execute(io.vertx.sqlclient.Tuple.of(id))
        .compose(rows -> rows.size() == 0 ? Future.<RolloutState>failedFuture(DomainError.notFound("no rollout " + id))
            : Future.succeededFuture(RolloutState.of(rows.iterator().next().getString(0))));
  }

  /** Wakes the gateway driving the rollout (maybe another one) so it acts on the change now. */
  private Future<Void> notifyOwner(UUID id) {
    vertx.eventBus().publish(Addresses.PROGRESS, ProgressMessage.of(id));
    return Future.succeededFuture();
  }

  public Future<JsonObject> describe(UUID id) {
    return store.reads().describe(id).compose(j -> j == null ? Future.failedFuture(DomainError.notFound("no rollout " + id))
        : Future.succeededFuture(j));
  }
}
