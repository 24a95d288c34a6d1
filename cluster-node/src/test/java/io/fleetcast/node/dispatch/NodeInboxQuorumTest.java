package io.fleetcast.node.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fleetcast.common.bus.Addresses;
import io.fleetcast.common.bus.BusCodecs;
import io.fleetcast.common.bus.DispatchReply;
import io.fleetcast.common.bus.DispatchRequest;
import io.fleetcast.common.metrics.MetricNames;
import io.fleetcast.node.agent.RevocationList;
import io.fleetcast.node.agent.SessionTable;
import io.fleetcast.node.metrics.NodeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A node below quorum refuses dispatch over its event-bus inbox (503, counted) and takes it again once quorate. */
@Timeout(20)
class NodeInboxQuorumTest {
  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicBoolean quorate = new AtomicBoolean(false);

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private double refused() {
    return registry.counter(MetricNames.DISPATCH_REFUSED).count();
  }

  @Test
  void refusesBelowQuorumAndServesOnceQuorate() {
    // GIVEN node-x's inbox on the event bus, its node below quorum
    BusCodecs.register(vertx);
    SessionTable sessions = new SessionTable();
    NodeInbox inbox = new NodeInbox(vertx, "node-x", sessions, new RevocationList(null),
        new NodeMetrics(registry), new Drainer(vertx, sessions), quorate::get, new DispatchActivity());
    inbox.start().await();
    DispatchRequest cancel = new DispatchRequest("cancel", "{\"type\":\"cancel\"}", List.of("agent-1"));
    // WHEN a gateway sends it a dispatch
    Throwable refusal = catchThrowable(() -> vertx.eventBus().<DispatchReply>request(Addresses.dispatch("node-x"), cancel)
        .await());
    // THEN it is refused with 503 and counted
    assertThat(refusal).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) refusal).failureCode()).isEqualTo(503);
    assertThat(refusal.getMessage()).contains("lost the cluster majority");
    assertThat(refused()).isEqualTo(1.0);
    // AND once the quorum is back the same request is served (the agent is not here: reported missing)
    quorate.set(true);
    DispatchReply reply = vertx.eventBus().<DispatchReply>request(Addresses.dispatch("node-x"), cancel).await().body();
    assertThat(reply.delivered()).isZero();
    assertThat(reply.missing()).containsExactly("agent-1");
    assertThat(refused()).isEqualTo(1.0);
  }
}
