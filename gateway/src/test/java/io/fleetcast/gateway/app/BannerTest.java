package io.fleetcast.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The start banner's "connect an agent" hint leads into the README's next step. */
class BannerTest {
  private static final Pattern ENROLL_BODY = Pattern.compile("-d '(\\{[^']*\\})' \\S*/api/v1/enrollment-tokens");
  private static final Pattern ROLLOUT_TAGS = Pattern.compile("\"targets\": \\{\"tags\": \\[\"([^\"]+)\"]}");

  /** The hint's enrollment token gives agents the tag the README's first rollout targets. */
  @Test
  void hintEnrollsAgentsWithTheTagTheReadmeRolloutTargets() throws Exception {
    String hint = Banner.connectAgentHint("http://127.0.0.1:8080", "./fleetcast-data/admin-token", true);
    Matcher body = ENROLL_BODY.matcher(hint);
    assertThat(body.find()).as(hint).isTrue();
    JsonObject enroll = new JsonObject(body.group(1));

    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher target = ROLLOUT_TAGS.matcher(readme);
    assertThat(target.find()).as("README quick start has a rollout to a tag").isTrue();

    assertThat(enroll.getJsonArray("tags").getList()).contains(target.group(1));
    assertThat(readme).contains("\"tags\": [\"" + target.group(1) + "\"]}' $API/enrollment-tokens");
  }

  /** In dev mode the demo agent relays Wake-on-LAN to loopback only. */
  @Test
  void devHintKeepsWakeOnLoopback() {
    assertThat(Banner.connectAgentHint("http://127.0.0.1:8080", null, true)).contains("--wake-force-address 127.0.0.1");
    assertThat(Banner.connectAgentHint("http://127.0.0.1:8080", null, false)).doesNotContain("--wake-force-address");
  }
}
