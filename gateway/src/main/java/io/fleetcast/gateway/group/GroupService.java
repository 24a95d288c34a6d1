package io.fleetcast.gateway.group;

import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.error.DomainError;
import io.fleetcast.gateway.error.FieldError;
import io.fleetcast.gateway.rollout.RolloutSpec;
import io.fleetcast.gateway.rollout.TargetGroups;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Saved groups: a name for a target selector ({agents, tags, subnets, all}) that rollouts,
 * fleetctl and the console name as {@code targets: {"group": name}}. The selector is resolved
 * when a rollout is created, so a group of tags reaches the agents that carry them then.
 */
public final class GroupService implements TargetGroups {
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final GroupStore store;
  private final AuditLog audit;

  public GroupService(GroupStore store, AuditLog audit) {
    this.store = store;
    this.audit = audit;
  }

  public GroupStore store() {
    return store;
  }

  public static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw DomainError.notFound("no such group: a group name is 1-64 letters, digits, '.', '_' or '-'");
    }
  }

  /** Validates the selector like a rollout's targets (same per-field errors, under {@code selector}). */
  public static JsonObject checkSelector(JsonObject selector) {
    try {
      return RolloutSpec.parseTargets(new JsonObject().put("targets", selector)).scope();
    } catch (DomainError p) {
      throw DomainError.invalid(p.errors().stream()
          .map(e -> new FieldError(e.field().replaceFirst("^targets", "selector"), e.message())).toList());
    }
  }

  public Future<Boolean> put(String name, JsonObject selector, String description, Principal who, String remote) {
    checkName(name);
    JsonObject clean = checkSelector(selector);
    return store.pool().withTransaction(tx -> store.put(tx, name, clean, description, who.actor())
        .compose(created -> audit.append(tx, who.actor(), who.role().wire(), "group.put", name, remote,
            new JsonObject().put("selector", clean)).map(created)));
  }

  public Future<Void> delete(String name, Principal who, String remote) {
    checkName(name);
    return store.pool().withTransaction(tx -> store.delete(tx, name).compose(found -> {
      if (!found) {
        return Future.failedFuture(DomainError.notFound("no group " + name));
      }
      return audit.append(tx, who.actor(), who.role().wire(), "group.delete", name, remote, null).mapEmpty();
    }));
  }

  @Override
  public Future<JsonObject> expand(JsonObject body) {
    Object t = body.getValue("targets");
    if (!(t instanceof JsonObject targets) || !targets.containsKey("group")) {
      return Future.succeededFuture(body);
    }
    Object g = targets.getValue("group");
    if (targets.size() != 1) {
      return Future.failedFuture(DomainError.invalid(List.of(new FieldError("targets.group",
          "a group stands alone: do not combine it with agents, tags, subnets or all"))));
    }
    if (!(g instanceof String name) || !NAME.matcher(name).matches()) {
      return Future.failedFuture(DomainError.invalid(List.of(new FieldError("targets.group",
          "must be the name of a saved group"))));
    }
    return store.get(name).compose(group -> {
      if (group == null) {
        return Future.failedFuture(DomainError.invalid(List.of(new FieldError("targets.group",
            "no saved group named '" + name + "'"))));
      }
      return Future.succeededFuture(body.copy().put("targets", group.getJsonObject("selector")));
    });
  }
}
