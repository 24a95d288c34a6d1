package io.fleetcast.common.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;

/**
 * Hazelcast async results as Vert.x futures, completed on the caller's Vert.x context.
 *
 * <p>Why not {@code Future.fromCompletionStage}: it registers a plain {@code whenComplete},
 * which Hazelcast runs on its default async executor, and that executor starts a new thread
 * per callback whenever the common ForkJoinPool has a single thread (any 2-core machine):
 * one thread per agent connect on a node. Naming the executor avoids it.
 */
public final class HazelcastFutures {
  private HazelcastFutures() {}

  public static <T> Future<T> of(Vertx vertx, CompletionStage<T> stage) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    stage.whenCompleteAsync((value, error) -> {
      if (error != null) {
        promise.fail(error);
      } else {
        promise.complete(value);
      }
    }, task -> context.runOnContext(v -> task.run()));
    return promise.future();
  }
}
