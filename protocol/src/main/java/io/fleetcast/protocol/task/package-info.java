/**
 * The task kinds as data: one {@link io.fleetcast.protocol.task.TaskKind} descriptor per kind (its
 * spec forms, fields, types, bounds and allowed values), the {@link io.fleetcast.protocol.task.TaskKinds}
 * registry of every kind, and the {@link io.fleetcast.protocol.task.SpecValidator} that the gateway
 * (field errors at rollout creation) and the agent (the {@code rejected} reason) both check specs with,
 * so that the two sides cannot disagree on what a valid spec is.
 */
package io.fleetcast.protocol.task;
