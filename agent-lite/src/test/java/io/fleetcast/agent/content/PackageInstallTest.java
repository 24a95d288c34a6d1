package io.fleetcast.agent.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.task.TaskOutcome;
import io.fleetcast.protocol.TaskStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class PackageInstallTest {
  static JsonObject spec() {
    return new JsonObject().put("sha256", "e".repeat(64)).put("size", 10).put("fileName", "setup.exe")
        .put("sources", new JsonArray().add(new JsonObject().put("name", "d").put("url", "http://127.0.0.1:9")))
        .put("command", "{file}").put("successExitCodes", new JsonArray().add(0))
        .put("rebootExitCodes", new JsonArray().add(3010).add(1641));
  }

  /** Exit 3010 (Windows "reboot required") succeeds; an unlisted code fails; 0 succeeds. */
  @Test
  void exitCodesDecideTheStatus() {
    PackageInstall.Spec s = PackageInstall.parse(spec());
    TaskOutcome reboot = PackageInstall.judge(new TaskOutcome(TaskStatus.FAILED, 3010, "done"), s);
    assertThat(reboot.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(reboot.exitCode()).isEqualTo(3010);
    assertThat(reboot.output()).contains("reboot required");
    assertThat(PackageInstall.judge(new TaskOutcome(TaskStatus.FAILED, 5, ""), s).status()).isEqualTo(TaskStatus.FAILED);
    assertThat(PackageInstall.judge(new TaskOutcome(TaskStatus.SUCCEEDED, 0, ""), s).status())
        .isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(PackageInstall.judge(new TaskOutcome(TaskStatus.TIMED_OUT, null, ""), s).status())
        .isEqualTo(TaskStatus.TIMED_OUT);
  }

  /** Catalog specs are told from URL specs; a spec without sources or hash is rejected with the reason. */
  @Test
  void validation() {
    assertThat(PackageInstall.handles(spec())).isTrue();
    assertThat(PackageInstall.handles(new JsonObject().put("url", "http://x").put("sha256", "e".repeat(64)))).isFalse();
    assertThat(PackageInstall.validate(spec())).isNull();
    assertThat(PackageInstall.validate(spec().put("sources", new JsonArray()))).contains("sources");
    assertThat(PackageInstall.validate(spec().put("sha256", "nothex"))).contains("sha256");
    assertThat(PackageInstall.validate(spec().put("deliverOnly", true).putNull("command"))).isNull();
    assertThat(PackageInstall.validate(spec().putNull("command"))).contains("command");
  }
}
