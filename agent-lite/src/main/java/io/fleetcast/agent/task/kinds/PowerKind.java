package io.fleetcast.agent.task.kinds;

import io.fleetcast.agent.config.PowerDeferral;
import io.fleetcast.agent.facts.FactsService;
import io.fleetcast.agent.os.OsActions;
import io.fleetcast.agent.os.OsActions.PowerAction;
import io.fleetcast.agent.task.TaskContext;
import io.fleetcast.agent.task.TaskKind;
import io.fleetcast.agent.task.TaskOutcome;
import io.fleetcast.protocol.TaskStatus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code power}: reboot, shut down or log off through {@link OsActions}. With
 * {@code onlyIfNoUser} and someone logged on, the task is {@code declined} (naming who), or,
 * with {@link PowerDeferral#RETRY_UNTIL_DEADLINE}, retried until nobody is logged on or the
 * deadline passes. The action is scheduled at least {@link #MIN_DELAY_SECONDS} ahead so that
 * the result is on disk (and usually sent) before the machine goes down; it is re-sent after boot.
 */
public final class PowerKind implements TaskKind {
  public static final int MIN_DELAY_SECONDS = 5;

  private final OsActions os;
  private final FactsService facts;
  private final PowerDeferral deferral;
  private final Duration retryInterval;

  public PowerKind(OsActions os, FactsService facts, PowerDeferral deferral, Duration retryInterval) {
    this.os = os;
    this.facts = facts;
    this.deferral = deferral;
    this.retryInterval = retryInterval;
  }

  @Override
  public String name() {
    return "power";
  }

  @Override
  public Future<TaskOutcome> run(TaskContext ctx) {
    SpecReader spec = new SpecReader(ctx.task().spec());
    PowerAction action = PowerAction.valueOf(spec.string("action").toUpperCase(Locale.ROOT));
    Long delay = spec.optLong("delaySeconds");
    int delaySeconds = (int) Math.max(MIN_DELAY_SECONDS, delay == null ? 0 : delay);
    String message = spec.optString("message");
    Future<String> blocker = spec.bool("onlyIfNoUser", false) ? waitForNoUser(ctx) : Future.succeededFuture(null);
    return blocker.compose(loggedOn -> {
      if (ctx.cancellation().cancelled()) {
        return Future.succeededFuture(TaskOutcome.cancelled("cancelled before the " + label(action)));
      }
      if (loggedOn != null) {
        return Future.succeededFuture(TaskOutcome.declined("not " + pastTense(action) + ": users logged on: "
            + loggedOn));
      }
      Future<Void> shown = message == null || message.isBlank() ? Future.succeededFuture()
          : os.showMessage(message).recover(e -> Future.succeededFuture());
      return shown.compose(v -> os.power(action, delaySeconds)).map(r -> r.ok()
          ? new TaskOutcome(TaskStatus.SUCCEEDED, r.exitCode(), label(action) + " scheduled in " + delaySeconds
              + " s" + (r.output().isBlank() ? "" : "\n" + r.output()))
          : new TaskOutcome(TaskStatus.FAILED, r.exitCode(), label(action) + " failed: " + r.output()));
    }).recover(e -> Future.succeededFuture(TaskOutcome.failed(label(action) + " failed: " + e.getMessage())));
  }

  /** Completes with null once nobody is logged on, or with the users who still are when we give up. */
  private Future<String> waitForNoUser(TaskContext ctx) {
    Promise<String> result = Promise.promise();
    check(ctx, result);
    return result.future();
  }

  private void check(TaskContext ctx, Promise<String> result) {
    facts.loggedOnUsers().onComplete(ar -> {
      List<String> users = ar.succeeded() ? ar.result() : List.of();
      if (users.isEmpty() || ctx.cancellation().cancelled()) {
        result.complete(null);
        return;
      }
      Instant next = Instant.now().plus(retryInterval);
      if (deferral == PowerDeferral.DECLINE || next.isAfter(ctx.deadline())) {
        result.complete(String.join(", ", users));
        return;
      }
      ctx.vertx().setTimer(Math.max(1, retryInterval.toMillis()), id -> check(ctx, result));
    });
  }

  private static String label(PowerAction a) {
    return a.name().toLowerCase(Locale.ROOT);
  }

  private static String pastTense(PowerAction a) {
    return switch (a) {
      case REBOOT -> "rebooted";
      case SHUTDOWN -> "shut down";
      case LOGOFF -> "logged off";
    };
  }
}
