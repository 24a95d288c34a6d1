package io.fleetcast.common.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(10)
class HazelcastFuturesTest {

  /** The result arrives on the caller's Vert.x context, whatever thread completed the stage: no executor of Hazelcast's own is involved. */
  @Test
  void completesOnTheCallersContext(Vertx vertx) throws Exception {
    // GIVEN a caller on an event loop and a stage completed later by a foreign thread
    CompletableFuture<String> stage = new CompletableFuture<>();
    CompletableFuture<String> seenOn = new CompletableFuture<>();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> HazelcastFutures.of(vertx, stage)
        .onSuccess(x -> seenOn.complete(Vertx.currentContext() == context ? x : "wrong context")));

    // WHEN the stage completes on another thread
    new Thread(() -> stage.complete("done"), "foreign").start();

    // THEN the value is delivered on the caller's context
    assertThat(seenOn.get(5, TimeUnit.SECONDS)).isEqualTo("done");
  }

  /** A failed stage fails the future with the same error. */
  @Test
  void failuresPassThrough(Vertx vertx) throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    Throwable seen = HazelcastFutures.of(vertx, CompletableFuture.<String>failedFuture(boom))
        .toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(5, TimeUnit.SECONDS);
    assertThat(seen).isSameAs(boom);
  }
}
