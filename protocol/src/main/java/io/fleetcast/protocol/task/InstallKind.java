package io.fleetcast.protocol.task;

import static io.fleetcast.protocol.task.SpecField.bool;
import static io.fleetcast.protocol.task.SpecField.instant;
import static io.fleetcast.protocol.task.SpecField.integer;
import static io.fleetcast.protocol.task.SpecField.integers;
import static io.fleetcast.protocol.task.SpecField.objects;
import static io.fleetcast.protocol.task.SpecField.string;
import static io.fleetcast.protocol.task.SpecField.strings;

import java.util.List;

/**
 * The {@code install} descriptor, the one kind with several forms: a download by URL (what the
 * operator writes is what the agent gets); a catalog request ({@code package}, {@code program}) that
 * the gateway resolves; and the resolved catalog spec the agent gets, with the content hash and
 * the depots as {@code sources} (docs/protocol.md, "Install from a package").
 */
final class InstallKind {
  private static final SpecField TIMEOUT = integer("timeoutSeconds", 1, TaskKinds.MAX_TIMEOUT_SECONDS);
  private static final SpecField COMMAND = string("command", 8192);
  private static final SpecField ARGS = strings("args", 256, 8192);
  private static final SpecField BANDWIDTH = integer("bandwidthKbps", 8, 100_000_000);
  private static final SpecField RUN_AT = instant("runAt");
  private static final SpecField PROGRAM = string("program", 64);

  static final SpecForm URL = SpecForm.of(List.of(
      string("url", 4096).required().matching(TaskKinds.HTTP_URL, "must be an http(s) URL"),
      string("sha256", 64).required().matching(TaskKinds.HEX_64, "must be 64 hex digits"),
      integer("size", 0, Long.MAX_VALUE),
      COMMAND,
      ARGS,
      TIMEOUT),
      """
      {"url": "https://files.example/agent-patch.msi",
       "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size": 1048576,
       "command": "msiexec", "args": ["/i", "{file}", "/qn"], "timeoutSeconds": 1800}""",
      """
      {"url": "http://127.0.0.1:8080/tool.sh",
       "sha256": "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"}""");

  /** Pre-staging with {@code runAt}: download on delivery, run at that time. */
  static final SpecForm CATALOG = SpecForm.selected("catalog", "package", SpecStage.REQUEST, List.of(
      string("package", 200).required(),
      PROGRAM.required(),
      BANDWIDTH,
      RUN_AT),
      """
      {"package": "hello@1.0", "program": "run"}""",
      """
      {"package": "acme-agent@4.2.1", "program": "install", "bandwidthKbps": 2048, "runAt": "2026-12-01T22:00:00Z"}""");

  /** Written by the gateway from the package and its program; "command is required unless deliverOnly" is the agent's check. */
  static final SpecForm RESOLVED = SpecForm.selected("resolved catalog", "sources", SpecStage.TASK, List.of(
      string("packageId", 64),
      string("package", 300),
      PROGRAM,
      string("fileName", 128).matching("[A-Za-z0-9][A-Za-z0-9._+-]*", "must be a plain file name"),
      string("archive", 32),
      string("sha256", 64).required().matching("[0-9a-f]{64}", "must be 64 lower-case hex digits"),
      integer("size", 0, Long.MAX_VALUE).required(),
      objects("sources", 10_000).required(),
      string("peerToken", 1024),
      COMMAND,
      ARGS,
      TIMEOUT,
      string("runAs", 128),
      string("reboot", 16).oneOf("never", "ifRequired", "always"),
      integers("successExitCodes", 32, Integer.MIN_VALUE, Integer.MAX_VALUE),
      integers("rebootExitCodes", 32, Integer.MIN_VALUE, Integer.MAX_VALUE),
      bool("deliverOnly"),
      RUN_AT,
      BANDWIDTH),
      """
      {"packageId": "0b7e4c52-3f1a-4c0e-9a57-6d1f7d0c2a11", "package": "hello@1.0", "program": "run",
       "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size": 10,
       "fileName": "hello.sh", "sources": [{"name": "origin", "url": "https://gateway.example:8443",
       "site": null, "subnets": [], "origin": true}], "peerToken": "9f86.1798761600.c2ln",
       "command": "/bin/sh", "args": ["{file}"], "timeoutSeconds": 3600, "reboot": "ifRequired",
       "successExitCodes": [0], "rebootExitCodes": [3010, 1641], "deliverOnly": false}""",
      """
      {"sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size": 10,
       "sources": [{"name": "depot-1", "url": "http://127.0.0.1:9"}], "deliverOnly": true}""");

  static final TaskKind DESCRIPTOR = new TaskKind("install", List.of(URL, CATALOG, RESOLVED));

  private InstallKind() {}
}
