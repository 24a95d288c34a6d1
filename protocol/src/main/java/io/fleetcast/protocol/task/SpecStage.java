package io.fleetcast.protocol.task;

/**
 * Where a spec is checked. A form of a kind may exist at one stage only: the operator's catalog
 * install ({@code package}, {@code program}) is a request the gateway resolves into the signed
 * install spec with content hash and sources, which only agents receive.
 */
public enum SpecStage {
  /**
   * As written in a rollout step; the gateway refuses unknown fields (a field it would ignore is one
   * the operator believes in effect).
   */
  REQUEST,
  /**
   * As signed into a task and checked by the agent; unknown fields are ignored so that a newer
   * gateway's additions do not break older agents.
   */
  TASK;

  boolean refusesUnknownFields() {
    return this == REQUEST;
  }
}
