package io.fleetcast.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.common.security.Tokens;
import io.fleetcast.common.testing.TestClusterConfig;
import io.fleetcast.gateway.app.ProcessRole;
import io.fleetcast.gateway.app.ServerRuntime;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A configured admin token must be strong; a weak one stops the server before it starts anything. */
class AdminTokenTest {

  /** Short, repeated and patterned tokens are weak; generated and random hex ones are not. */
  @Test
  void weakTokensAreRecognised() {
    assertThat(AdminToken.weakness("123456789")).get().asString().contains("9 characters");
    assertThat(AdminToken.weakness("a".repeat(40))).get().asString().contains("entropy");
    assertThat(AdminToken.weakness("abcd".repeat(10))).isPresent();
    assertThat(AdminToken.weakness(Tokens.generate(ApiTokens.PREFIX))).isEmpty();
    assertThat(AdminToken.weakness("3f9c1be07a6d45e2b8f0c4d91a7e6b25")).isEmpty();
  }

  /** The gateway refuses to start with a 9-character admin token, naming the setting and how to make one. */
  @Test
  void weakConfiguredAdminTokenRefusesToStart() {
    Map<String, Object> m = new HashMap<>();
    m.put("adminToken", "secret123");
    m.put("pg.url", "postgresql://nobody@127.0.0.1:1/none"); // never reached
    ServerRuntime rt = new ServerRuntime(TestClusterConfig.config(TestClusterConfig.cluster(), m));
    assertThatThrownBy(() -> rt.start(ProcessRole.STANDALONE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("adminToken (FLEETCAST_ADMIN_TOKEN) is too weak")
        .hasMessageContaining("openssl rand -hex 32");
  }
}
