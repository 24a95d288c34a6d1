package io.fleetcast.gateway.auth;

import io.fleetcast.common.log.Kv;
import io.fleetcast.common.security.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import io.fleetcast.common.security.SecretFiles;
import java.util.logging.Logger;

/**
 * The first admin token (SPEC section 4): taken from FLEETCAST_ADMIN_TOKEN when set;
 * otherwise generated on first start, printed once and stored in the data dir (mode 0600).
 */
public final class AdminToken {
  private static final Logger LOG = Logger.getLogger(AdminToken.class.getName());
  public static final String FILE = "admin-token";

  /** What happened at start: the token if it was generated now (to print), else null. */
  public record Outcome(String generatedToken, Path file) {}

  private AdminToken() {}

  public static Future<Outcome> ensure(Vertx vertx, ApiTokens tokens, String configured, Path dataDir) {
    if (configured != null && !configured.isBlank()) {
      return tokens.ensure(configured.trim(), "admin (configured)", Role.ADMIN).map(x -> new Outcome(null, null));
    }
    return tokens.anyAdmin().compose(exists -> {
      if (exists) {
        return Future.succeededFuture(new Outcome(null, dataDir.resolve(FILE)));
      }
      String token = Tokens.generate(ApiTokens.PREFIX);
      return vertx.executeBlocking(() -> {
        Path file = dataDir.resolve(FILE);
        Files.deleteIfExists(file);
        SecretFiles.create(file, token + "\n");
        return file;
      }).compose(file -> tokens.ensure(token, "admin (generated)", Role.ADMIN).map(x -> new Outcome(token, file)));
    });
  }
}
