package io.fleetcast.gateway.schedule;

import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.error.BodyReader;
import io.fleetcast.gateway.error.DomainError;
import io.fleetcast.gateway.error.FieldError;
import io.fleetcast.gateway.rollout.RolloutSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** Creating, listing and deleting schedules, each change audited. */
public final class ScheduleService {
  private final ScheduleStore store;
  private final AuditLog audit;

  public ScheduleService(ScheduleStore store, AuditLog audit) {
    this.store = store;
    this.audit = audit;
  }

  /**
   * Body: {@code {name, cron, timeZone, rollout: <rollout body without startAfter/expiresAt>,
   * expiresAfterMinutes}}. The template is validated now, as a rollout would be.
   */
  public Future<JsonObject> create(JsonObject body, Principal who, String remote) {
    BodyReader b = BodyReader.of(body);
    b.onlyKnown(Set.of("name", "cron", "timeZone", "rollout", "expiresAfterMinutes"));
    String name = b.string("name", true, 200);
    String cronText = b.string("cron", true, 200);
    String zone = b.string("timeZone", false, 64);
    JsonObject template = b.object("rollout", true);
    Integer expires = b.integer("expiresAfterMinutes", false, 1, 60 * 24 * 30);
    CronSchedule cron = null;
    if (cronText != null) {
      try {
        cron = CronSchedule.parse(cronText, zone == null ? "UTC" : zone);
      } catch (IllegalArgumentException e) {
        b.error(e.getMessage().startsWith("unknown time zone") ? "timeZone" : "cron", e.getMessage());
      }
    }
    if (template != null) {
      // the template is untrusted: look at its fields' types before using them (a wrong type is a 400, not a 500)
      if (template.getValue("strategy") instanceof JsonObject strategy
          && (strategy.containsKey("startAfter") || strategy.containsKey("expiresAt"))) {
        b.error("rollout.strategy", "startAfter and expiresAt are set per firing: use the cron and expiresAfterMinutes");
      }
      JsonObject probe = template.copy();
      if (probe.getValue("name") == null) {
        probe.put("name", name == null ? "schedule" : name);
      }
      try {
        RolloutSpec.parse(probe, Instant.now(), Duration.ofHours(24));
      } catch (DomainError p) {
        p.errors().forEach(e -> b.error("rollout." + e.field(), e.message()));
      }
    }
    b.throwIfInvalid();
    int expiresAfter = expires == null ? 24 * 60 : expires;
    Instant next = cron.nextAfter(Instant.now()).orElse(null);
    if (next == null) {
      throw DomainError.invalid(java.util.List.of(new FieldError("cron", "never fires")));
    }
    UUID id = UUID.randomUUID();
    JsonObject tmpl = template.copy().put("name", template.getString("name", name));
    CronSchedule c = cron;
    return store.pool().withTransaction(tx -> audit.append(tx, who.actor(), who.role().wire(), "schedule.create",
                id.toString(), remote, new JsonObject().put("name", name).put("cron", c.expression()))
            .compose(seq -> store.insert(tx, new ScheduleStore.NewSchedule(id, name, c, tmpl, expiresAfter, next, who.actor()))))
        .compose(v -> store.get(id));
  }

  public Future<Void> delete(UUID id, Principal who, String remote) {
    return store.pool().withTransaction(tx -> store.delete(tx, id).compose(found -> {
      if (!found) {
        return Future.failedFuture(DomainError.notFound("no schedule " + id));
      }
      return audit.append(tx, who.actor(), who.role().wire(), "schedule.delete", id.toString(), remote, null).mapEmpty();
    }));
  }

  public ScheduleStore store() {
    return store;
  }
}
