package io.fleetcast.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScopeCheckTest {

  /** Table: scope JSON, whether agent a1 (tags lab+kiosk, IP 10.20.3.4) is in it. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"all\":true}                                            | true",
      "{\"all\":false}                                           | false",
      "{}                                                         | false",
      "{\"agents\":[\"a1\"]}                                     | true",
      "{\"agents\":[\"a2\"]}                                     | false",
      "{\"tags\":[\"lab\"]}                                      | true",
      "{\"tags\":[\"lab\",\"kiosk\"]}                            | true",
      "{\"tags\":[\"lab\",\"server\"]}                           | false",
      "{\"subnets\":[\"10.20.0.0/16\"]}                          | true",
      "{\"subnets\":[\"192.168.0.0/16\",\"10.20.3.0/24\"]}       | true",
      "{\"subnets\":[\"10.21.0.0/16\"]}                          | false",
      "{\"tags\":[\"lab\"],\"subnets\":[\"10.20.0.0/16\"]}       | true",
      "{\"tags\":[\"lab\"],\"subnets\":[\"10.99.0.0/16\"]}       | false",
      "{\"tags\":[\"nope\"],\"subnets\":[\"10.20.0.0/16\"]}      | false",
      "{\"agents\":[\"a2\"],\"tags\":[\"kiosk\"]}                | true",
      "{\"subnets\":[\"not-a-cidr\"]}                            | false"})
  void table(String scope, boolean in) {
    String why = ScopeCheck.whyNotInScope(new JsonObject(scope), "a1", List.of("kiosk", "lab"), List.of("10.20.3.4"));
    assertThat(why == null).as(why).isEqualTo(in);
  }

  /** An agent id signed in another case than the agent's own spelling still names that agent (issue 11 #6). */
  @ParameterizedTest
  @CsvSource({"3F2504E0-4F89-11D3-9A0C-0305E82C3301", "3f2504e0-4f89-11d3-9a0c-0305e82c3301"})
  void agentIdsCompareWithoutCase(String signed) {
    JsonObject scope = new JsonObject().put("agents", new io.vertx.core.json.JsonArray().add(signed));
    assertThat(ScopeCheck.whyNotInScope(scope, "3f2504e0-4f89-11d3-9a0c-0305e82c3301", List.of(), List.of())).isNull();
    assertThat(ScopeCheck.whyNotInScope(scope, "3F2504E0-4F89-11D3-9A0C-0305E82C3301", List.of(), List.of())).isNull();
    assertThat(ScopeCheck.whyNotInScope(scope, "3f2504e0-4f89-11d3-9a0c-0305e82c3302", List.of(), List.of()))
        .contains("not in scope");
  }

  /** The opt-in selector on self-reported tags is checked against the agent's tags like trusted tags. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"lab | true", "server | false"})
  void reportedTagsAreChecked(String tag, boolean in) {
    JsonObject scope = new JsonObject().put("reportedTags", new io.vertx.core.json.JsonArray().add(tag));
    String why = ScopeCheck.whyNotInScope(scope, "a1", List.of("kiosk", "lab"), List.of());
    assertThat(why == null).as(why).isEqualTo(in);
  }

  /** No scope at all is out of scope (fail closed). */
  @ParameterizedTest
  @CsvSource({"a1"})
  void missingScope(String agent) {
    assertThat(ScopeCheck.whyNotInScope(null, agent, List.of(), List.of())).contains("no scope");
  }

  /** Table: whether learning more tags could put agent a1 (tags lab+kiosk, IP 10.20.3.4) in scope. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"tags\":[\"lab\"]}                                      | false",
      "{\"tags\":[\"lab\",\"server\"]}                           | true",
      "{\"tags\":[\"server\"],\"subnets\":[\"10.20.0.0/16\"]}    | true",
      "{\"tags\":[\"server\"],\"subnets\":[\"10.99.0.0/16\"]}    | false",
      "{\"reportedTags\":[\"server\"]}                             | false",
      "{\"agents\":[\"a2\"]}                                       | false",
      "{\"subnets\":[\"10.99.0.0/16\"]}                            | false"})
  void onlyTagsMissing(String scope, boolean lookupCouldHelp) {
    assertThat(ScopeCheck.onlyTagsMissing(new JsonObject(scope), "a1", List.of("kiosk", "lab"),
        List.of("10.20.3.4"))).isEqualTo(lookupCouldHelp);
  }
}
