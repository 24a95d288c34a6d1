package io.fleetcast.gateway.schedule;

import io.fleetcast.common.log.Kv;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.rollout.RolloutService;
import io.fleetcast.gateway.rollout.RolloutSpec;
import io.fleetcast.gateway.schedule.ScheduleStore.Due;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Fires due schedules. Every gateway runs one; a firing is claimed by a compare-and-set on the
 * schedule's next firing time in the same transaction that creates the rollout, and a unique
 * index on (schedule, firing time) backs it up: exactly one rollout per firing. Missed firings
 * (all gateways down) are not replayed one by one: the schedule fires once and moves on.
 */
public final class ScheduleFirer {
  private static final Logger LOG = Logger.getLogger(ScheduleFirer.class.getName());

  private final Vertx vertx;
  private final ScheduleStore store;
  private final RolloutService rollouts;
  private final Counter fired;
  private long timer = -1;
  private boolean running;

  public ScheduleFirer(Vertx vertx, ScheduleStore store, RolloutService rollouts, MeterRegistry registry) {
    this.vertx = vertx;
    this.store = store;
    this.rollouts = rollouts;
    this.fired = Counter.builder(io.fleetcast.common.metrics.MetricNames.SCHEDULE_FIRINGS).description("Rollouts created by schedules")
        .register(registry);
  }

  public void start(long periodMillis) {
    timer = vertx.setPeriodic(periodMillis, t -> pass());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  private void pass() {
    if (running) {
      return;
    }
    running = true;
    store.due(20)
        .compose(list -> {
          Future<Void> chain = Future.succeededFuture();
          for (Due d : list) {
            chain = chain.compose(v -> fire(d).recover(err -> {
              LOG.warning(Kv.event("schedule.fire_failed", "schedule", d.id(), "error", err.getMessage()));
              return Future.succeededFuture();
            }));
          }
          return chain;
        })
        .onComplete(ar -> running = false);
  }

  /**
   * A firing's rollout is named after the template's own {@code name} when it has one (else the
   * schedule's), with the firing time so that each firing is told apart.
   */
  static String rolloutName(JsonObject template, String scheduleName, Instant firing) {
    Object own = template.getValue("name");
    String base = own instanceof String s && !s.isBlank() ? s : scheduleName;
    return base + " @ " + firing;
  }

  Future<Void> fire(Due d) {
    CronSchedule cron = CronSchedule.parse(d.cron(), d.timeZone());
    Instant now = Instant.now();
    Instant next = cron.nextAfter(now.isAfter(d.nextFireAt()) ? now : d.nextFireAt())
        .orElse(Instant.parse("9999-12-31T00:00:00Z"));
    JsonObject body = d.template().copy().put("name", rolloutName(d.template(), d.name(), d.nextFireAt()));
    JsonObject strategy = body.getJsonObject("strategy", new JsonObject()).copy()
        .put("expiresAt", d.nextFireAt().plus(Duration.ofMinutes(d.expiresAfterMinutes())).toString());
    body.put("strategy", strategy);
    Principal who = new Principal(d.id().toString(), "schedule " + d.name(), Role.OPERATOR);
    return store.pool().withTransaction(tx -> store.claim(tx, d.id(), d.nextFireAt(), next).compose(won -> {
          if (!won) {
            return Future.succeededFuture((RolloutService.Created) null);
          }
          RolloutSpec spec = RolloutSpec.parse(body, now, Duration.ofMinutes(d.expiresAfterMinutes()));
          return rollouts.createIn(tx, spec, who, "scheduler", d.id(), d.nextFireAt())
              .compose(c -> store.recordRollout(tx, d.id(), c.id()).map(c));
        }))
        .map(created -> {
          if (created != null) {
            rollouts.adopt(created);
            fired.increment();
            LOG.info(Kv.event("schedule.fired", "schedule", d.id(), "rollout", created.id(), "targets", created.targets(),
                "next", next));
          }
          return null;
        });
  }
}
