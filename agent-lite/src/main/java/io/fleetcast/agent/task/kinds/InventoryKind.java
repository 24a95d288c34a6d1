package io.fleetcast.agent.task.kinds;

import io.fleetcast.agent.facts.FactsService;
import io.fleetcast.agent.task.TaskContext;
import io.fleetcast.agent.task.TaskKind;
import io.fleetcast.agent.task.TaskOutcome;
import io.fleetcast.protocol.Facts;
import io.vertx.core.Future;
import java.util.function.Consumer;

/** {@code inventory}: collects facts afresh, re-sends them as a {@code facts} frame and reports them as output. */
public final class InventoryKind implements TaskKind {
  private final FactsService facts;
  private final Consumer<Facts> publish;

  public InventoryKind(FactsService facts, Consumer<Facts> publish) {
    this.facts = facts;
    this.publish = publish;
  }

  @Override
  public String name() {
    return "inventory";
  }

  @Override
  public Future<TaskOutcome> run(TaskContext ctx) {
    return facts.collect().map(f -> {
      publish.accept(f);
      return TaskOutcome.succeeded(f.toJson().encodePrettily());
    }).recover(e -> Future.succeededFuture(TaskOutcome.failed("cannot collect facts: " + e.getMessage())));
  }
}
