package io.fleetcast.gateway.rollout;

import io.fleetcast.gateway.rollout.RolloutStore.TaskRecord;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A task's frame with a signed release, re-used for a moment. A reconnect storm re-sends the
 * same owed task to thousands of agents in small batches (one per node's online message); a
 * fresh Ed25519 signature plus a JSON parse and encode for each batch was most of the gateway's
 * CPU then. A release re-used for {@link #REUSE} is still the gateway's permission to start the
 * task now (it expires {@code ttl} after it was signed, minus at most that second); agents do
 * not track nonces, they check signature and {@code notAfter}. Callers only ask while the
 * rollout is being driven, so nothing is released after a halt, pause, cancel or expiry that
 * was not already released in the second before it.
 */
final class ReleasedFrames {
  /** How long one signed release is handed out again. */
  static final Duration REUSE = Duration.ofSeconds(1);
  /** Past this many cached tasks, entries older than {@link #REUSE} are dropped on the next insert. */
  private static final int SWEEP_ABOVE = 256;

  private record Signed(String frame, long signedAtNanos) {}

  private final TaskSigner signer;
  private final Duration ttl;
  private final LongSupplier nanoClock;
  private final Map<UUID, Signed> recent = new ConcurrentHashMap<>();

  ReleasedFrames(TaskSigner signer, Duration ttl, LongSupplier nanoClock) {
    this.signer = signer;
    this.ttl = ttl;
    this.nanoClock = nanoClock;
  }

  ReleasedFrames(TaskSigner signer, Duration ttl) {
    this(signer, ttl, System::nanoTime);
  }

  /** The stored frame plus a release signed within the last {@link #REUSE}; signs one when there is none. */
  String frame(TaskRecord task) {
    long now = nanoClock.getAsLong();
    Signed s = recent.get(task.taskId());
    if (s != null && fresh(s, now)) {
      return s.frame();
    }
    JsonObject frame = new JsonObject(task.frame());
    String encoded = frame.put("release", signer.release(task.taskId().toString(), ttl).toJson()).encode();
    if (recent.size() >= SWEEP_ABOVE) {
      recent.values().removeIf(old -> !fresh(old, now));
    }
    recent.put(task.taskId(), new Signed(encoded, now));
    return encoded;
  }

  /** Tasks with a release cached now (for tests: the cache stays bounded). */
  int cached() {
    return recent.size();
  }

  private static boolean fresh(Signed s, long now) {
    return now - s.signedAtNanos() < REUSE.toNanos();
  }
}
