package io.fleetcast.gateway.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.error.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounds on what an agent may say about itself at enrollment. */
class FactsPolicyTest {

  static List<String> fields(JsonObject facts) {
    return FactsPolicy.check(facts).stream().map(FieldError::field).toList();
  }

  /** What agent-lite sends (scalars, string arrays, one nested object) is accepted. */
  @Test
  void agentLiteFactsAreAccepted() {
    JsonObject facts = new JsonObject().put("hostname", "h").put("os", "Linux").put("arch", "amd64")
        .put("ips", new JsonArray().add("10.0.0.5")).put("macs", new JsonArray().add("02:00:00:00:00:01"))
        .put("subnets", new JsonArray().add("10.0.0.0/24")).put("tags", new JsonArray()).put("users", new JsonArray())
        .put("disk", new JsonObject().put("freeGb", 1.5).put("ok", true).put("none", (Object) null));
    assertThat(FactsPolicy.check(facts)).isEmpty();
  }

  /** Over the total size only the size is reported (not every consequence). */
  @Test
  void oversizedFactsAreOneError() {
    JsonObject facts = new JsonObject();
    for (int i = 0; i < 40; i++) {
      facts.put("k" + i, "v".repeat(1000));
    }
    assertThat(fields(facts)).containsExactly("facts");
  }

  /** Each bad key, too-long string, too-long array, object in an array and too-deep object is named. */
  @Test
  void eachBadFieldIsNamed() {
    JsonObject facts = new JsonObject().put("ok", 1).put("sp ace", 1).put("k".repeat(65), 1)
        .put("long", "x".repeat(FactsPolicy.MAX_STRING_LENGTH + 1))
        .put("arr", new JsonArray(Collections.nCopies(FactsPolicy.MAX_ARRAY_ITEMS + 1, 1)))
        .put("mixed", new JsonArray().add("a").add(new JsonArray()).add("y".repeat(FactsPolicy.MAX_STRING_LENGTH + 1)))
        .put("a", new JsonObject().put("b", new JsonObject()));
    assertThat(fields(facts)).containsExactlyInAnyOrder("facts.sp ace", "facts." + "k".repeat(64) + "...",
        "facts.long", "facts.arr", "facts.mixed[1]", "facts.mixed[2]", "facts.a.b");
  }

  /** More than MAX_KEYS keys in one object is refused. */
  @Test
  void tooManyKeys() {
    JsonObject facts = new JsonObject();
    for (int i = 0; i <= FactsPolicy.MAX_KEYS; i++) {
      facts.put("k" + i, i);
    }
    assertThat(fields(facts)).containsExactly("facts");
  }
}
