package io.fleetcast.protocol.task;

import static io.fleetcast.protocol.task.SpecField.bool;
import static io.fleetcast.protocol.task.SpecField.integer;
import static io.fleetcast.protocol.task.SpecField.string;
import static io.fleetcast.protocol.task.SpecField.stringMap;
import static io.fleetcast.protocol.task.SpecField.strings;

import java.util.List;
import java.util.Optional;

/**
 * Every task kind there is, with its descriptor (docs/protocol.md, "Task kinds and their spec").
 * Adding a kind: its descriptor here, its agent class, its docs (docs/architecture.md, "How to add a
 * task kind"); the gateway accepts it and the docs tests hold the README and protocol tables to it.
 */
public final class TaskKinds {
  public static final long MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;
  static final String HEX_64 = "[0-9a-fA-F]{64}";
  static final String HTTP_URL = "(?s)https?://.*";

  public static final TaskKind EXEC = TaskKind.of("exec", SpecForm.of(List.of(
      string("command", 8192).required(),
      strings("args", 256, 8192),
      bool("shell"),
      integer("timeoutSeconds", 1, MAX_TIMEOUT_SECONDS),
      stringMap("env")),
      """
      {"command": "apply-patch", "args": ["--now"], "timeoutSeconds": 300}""",
      """
      {"command": "echo \\"$GREETING $1\\"", "args": ["world"], "shell": true, "env": {"GREETING": "hello"}}"""));

  public static final TaskKind INSTALL = InstallKind.DESCRIPTOR;

  public static final TaskKind SERVICE = TaskKind.of("service", SpecForm.of(List.of(
      // systemd unit and Windows service names; never starting with '-' so a name cannot pass as an option
      string("name", 255).required().matching("[A-Za-z0-9_@.:\\\\][A-Za-z0-9_@.:\\\\\\-]*",
          "must be a service name (letters, digits and _ @ . : \\ -, not starting with -)"),
      string("action", 16).required().oneOf("start", "stop", "restart", "status")),
      """
      {"name": "nginx", "action": "restart"}""",
      """
      {"name": "Spooler", "action": "status"}"""));

  public static final TaskKind POWER = TaskKind.of("power", SpecForm.of(List.of(
      string("action", 16).required().oneOf("reboot", "shutdown", "logoff"),
      integer("delaySeconds", 0, 24 * 3600),
      bool("onlyIfNoUser"),
      string("message", 1024)),
      """
      {"action": "reboot", "onlyIfNoUser": true}""",
      """
      {"action": "shutdown", "delaySeconds": 300, "message": "Shutting down for maintenance"}"""));

  public static final TaskKind INVENTORY = TaskKind.of("inventory", SpecForm.of(List.of(), "{}"));

  public static final TaskKind AGENT_UPDATE = TaskKind.of("agentUpdate", SpecForm.of(List.of(
      string("version", 64).required().matching("[0-9A-Za-z][0-9A-Za-z._+-]*",
          "must be letters, digits and . _ + - (at most 64)"),
      string("url", 4096).required().matching(HTTP_URL, "must be an http(s) URL"),
      string("sha256", 64).required().matching(HEX_64, "must be 64 hex digits"),
      integer("size", 1, Long.MAX_VALUE).required(),
      string("signature", 256).required(),
      string("keyId", 64).required(),
      integer("connectTimeoutSeconds", 5, 3600)),
      """
      {"version": "1.4.0", "url": "https://gateway.example:8443/agent/v1/releases/1.4.0/download",
       "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size": 5242880,
       "signature": "bWFkZSB1cCBmb3IgdGhlIGV4YW1wbGU", "keyId": "k1", "connectTimeoutSeconds": 120}"""));

  /** Every kind, in the order the docs list them. */
  public static final List<TaskKind> ALL = List.of(EXEC, INSTALL, SERVICE, POWER, INVENTORY, AGENT_UPDATE);

  private TaskKinds() {}

  public static Optional<TaskKind> find(String name) {
    return ALL.stream().filter(k -> k.name().equals(name)).findFirst();
  }

  /** The kind names in alphabetical order (as error messages list them). */
  public static List<String> names() {
    return ALL.stream().map(TaskKind::name).sorted().toList();
  }
}
