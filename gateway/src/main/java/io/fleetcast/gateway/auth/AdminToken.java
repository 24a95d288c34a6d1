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

  /** Least length of a configured admin token. */
  public static final int MIN_LENGTH = 32;
  /** Least entropy of a configured admin token, estimated from its character frequencies (bits). */
  public static final double MIN_ENTROPY_BITS = 96;

  private AdminToken() {}

  /**
   * Refuses a weak configured admin token, in every mode: the admin token can make every agent run
   * anything, and the standalone server generates a strong one when none is set, so nobody needs a
   * short one, not even on a laptop. Generate one with {@code openssl rand -hex 32}.
   */
  public static void checkConfigured(String configured) {
    if (configured == null || configured.isBlank()) {
      return;
    }
    weakness(configured.trim()).ifPresent(why -> {
      throw new IllegalStateException("adminToken (FLEETCAST_ADMIN_TOKEN) is too weak: " + why
          + "; use a random one of at least " + MIN_LENGTH + " characters (e.g. 'openssl rand -hex 32'), "
          + "or leave it unset to have one generated");
    });
  }

  /** Why {@code token} is too weak to be an admin token, or empty. Pure. */
  public static java.util.Optional<String> weakness(String token) {
    if (token.length() < MIN_LENGTH) {
      return java.util.Optional.of("it has " + token.length() + " characters, at least " + MIN_LENGTH + " are required");
    }
    double bits = estimatedBits(token);
    if (bits < MIN_ENTROPY_BITS) {
      return java.util.Optional.of(String.format(java.util.Locale.ROOT,
          "it repeats too few distinct characters (about %.0f bits of entropy, at least %.0f required)", bits,
          MIN_ENTROPY_BITS));
    }
    return java.util.Optional.empty();
  }

  /** Length times the Shannon entropy of the character frequencies: low for repeated or patterned text. */
  static double estimatedBits(String token) {
    java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
    token.codePoints().forEach(c -> counts.merge(c, 1, Integer::sum));
    int n = token.codePointCount(0, token.length());
    double perChar = 0;
    for (int c : counts.values()) {
      double p = (double) c / n;
      perChar -= p * (Math.log(p) / Math.log(2));
    }
    return perChar * n;
  }

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
