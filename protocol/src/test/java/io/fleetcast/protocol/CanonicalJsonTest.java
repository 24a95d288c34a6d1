package io.fleetcast.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The deterministic JSON text that task signatures cover. */
@Timeout(10)
class CanonicalJsonTest {

  /** Key order in the input does not change the output, at any depth. */
  @Test
  void keyOrderDoesNotMatter() {
    // GIVEN the same value written with keys in different orders, nested in objects and arrays
    String a = "{\"b\":1,\"a\":{\"y\":[{\"q\":1,\"p\":2}],\"x\":true},\"c\":null}";
    String b = "{\"c\":null,\"a\":{\"x\":true,\"y\":[{\"p\":2,\"q\":1}]},\"b\":1}";

    // WHEN both are canonicalised
    String ca = CanonicalJson.encode(new JsonObject(a));
    String cb = CanonicalJson.encode(new JsonObject(b));

    // THEN the texts are identical, sorted and without whitespace
    assertThat(ca).isEqualTo(cb).isEqualTo("{\"a\":{\"x\":true,\"y\":[{\"p\":2,\"q\":1}]},\"b\":1,\"c\":null}");
  }

  /** Array order is significant: arrays are not sorted. */
  @Test
  void arrayOrderMatters() {
    // GIVEN two arrays with the same elements in a different order
    // WHEN they are canonicalised
    // THEN the texts differ
    assertThat(CanonicalJson.encode(new JsonArray("[1,2]"))).isEqualTo("[1,2]");
    assertThat(CanonicalJson.encode(new JsonArray("[2,1]"))).isEqualTo("[2,1]");
  }

  /** A whole number reads the same whether it was written as 300 or 300.0, while fractions are kept. */
  @Test
  void wholeNumbersAreNormalised() {
    // GIVEN numbers as integers, as doubles with a zero fraction, and real fractions
    JsonObject ints = new JsonObject("{\"t\":300,\"n\":-5,\"z\":0}");
    JsonObject doubles = new JsonObject("{\"t\":300.0,\"n\":-5.0,\"z\":-0.0}");
    JsonObject fraction = new JsonObject("{\"t\":300.5}");

    // WHEN they are canonicalised
    // THEN the whole numbers print alike and the fraction is not rounded away
    assertThat(CanonicalJson.encode(doubles)).isEqualTo(CanonicalJson.encode(ints)).isEqualTo("{\"n\":-5,\"t\":300,\"z\":0}");
    assertThat(CanonicalJson.encode(fraction)).isEqualTo("{\"t\":300.5}");
    assertThat(CanonicalJson.encode(new JsonObject().put("big", 9_007_199_254_740_993L))).isEqualTo("{\"big\":9007199254740993}");
  }

  /** Escaped and literal spellings of the same string canonicalise alike, and special characters stay escaped. */
  @Test
  void unicodeAndEscapes() {
    // GIVEN the same strings once escaped and once literal, with quotes, backslashes, control characters and non-ASCII
    JsonObject escaped = new JsonObject("{\"k\\u00e9y\":\"caf\\u00e9 \\ud83d\\ude80 \\\"q\\\" \\\\ \\n\\t\\u0001\"}");
    JsonObject literal = new JsonObject().put("k\u00e9y", "caf\u00e9 \ud83d\ude80 \"q\" \\ \n\t\u0001");

    // WHEN both are canonicalised
    String ce = CanonicalJson.encode(escaped);
    String cl = CanonicalJson.encode(literal);

    // THEN they are identical, still valid JSON, and parse back to the same value
    assertThat(ce).isEqualTo(cl);
    assertThat(ce).doesNotContain("\n").doesNotContain("\t");
    assertThat(new JsonObject(ce)).isEqualTo(literal);
  }

  /** Plain maps and lists canonicalise like the JSON types holding the same data. */
  @Test
  void mapsAndListsLikeJsonTypes() {
    // GIVEN a LinkedHashMap in reverse order and the equivalent JsonObject
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", List.of("a", 1, false));
    m.put("a", Map.of("k", "v"));
    JsonObject j = new JsonObject().put("a", new JsonObject().put("k", "v")).put("z", new JsonArray().add("a").add(1).add(false));

    // WHEN both are canonicalised
    // THEN the texts are identical
    assertThat(CanonicalJson.encode(m)).isEqualTo(CanonicalJson.encode(j)).isEqualTo("{\"a\":{\"k\":\"v\"},\"z\":[\"a\",1,false]}");
  }

  /** Re-encoding through the wire (encode then parse) never changes the canonical form. */
  @Test
  void stableAcrossReencoding() {
    // GIVEN a realistic task spec
    JsonObject spec = new JsonObject().put("command", "cmd.exe").put("args", new JsonArray().add("/c").add("echo \"hi\""))
        .put("shell", false).put("timeoutSeconds", 300).put("env", new JsonObject().put("PATH", "C:\\Windows"));

    // WHEN it is encoded and parsed again, possibly more than once
    JsonObject twice = new JsonObject(new JsonObject(spec.encode()).encodePrettily());

    // THEN the canonical text is the same
    assertThat(CanonicalJson.encode(twice)).isEqualTo(CanonicalJson.encode(spec));
  }
}
