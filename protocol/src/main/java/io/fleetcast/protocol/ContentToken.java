package io.fleetcast.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * A short-lived grant to fetch one content blob from a peer agent: {@code sha256.expiresEpochSeconds.signature},
 * signed by the gateway's Ed25519 task key. Any fleet member holding the gateway's public keys
 * (every agent does) checks it without a round trip; it names the content, so it opens nothing else.
 */
public record ContentToken(String sha256, Instant expiresAt, String signature) {
  /** The HTTP header a fetcher sends the token in. */
  public static final String HEADER = "X-Fleetcast-Content-Token";

  /** Why a presented token was refused. */
  public enum Problem {
    MISSING("no content token"),
    MALFORMED("malformed content token"),
    EXPIRED("content token expired"),
    WRONG_CONTENT("content token is for other content"),
    BAD_SIGNATURE("content token not signed by a fleet key");

    private final String text;

    Problem(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  public static byte[] payload(String sha256, Instant expiresAt) {
    return ("fleetcast-content-v1\n" + sha256.toLowerCase(Locale.ROOT) + "\n" + expiresAt.getEpochSecond())
        .getBytes(StandardCharsets.UTF_8);
  }

  public static ContentToken sign(String sha256, Instant expiresAt, PrivateKey key) {
    try {
      Signature sig = Signature.getInstance(TaskSignature.ALGORITHM);
      sig.initSign(key);
      sig.update(payload(sha256, expiresAt));
      return new ContentToken(sha256.toLowerCase(Locale.ROOT), Instant.ofEpochSecond(expiresAt.getEpochSecond()),
          Base64.getUrlEncoder().withoutPadding().encodeToString(sig.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign content token", e);
    }
  }

  public String encode() {
    return sha256 + "." + expiresAt.getEpochSecond() + "." + signature;
  }

  public static Optional<ContentToken> decode(String text) {
    if (text == null || text.length() > 512) {
      return Optional.empty();
    }
    String[] parts = text.trim().split("\\.");
    if (parts.length != 3 || !parts[0].matches("[0-9a-f]{64}") || !parts[1].matches("[0-9]{1,12}")) {
      return Optional.empty();
    }
    return Optional.of(new ContentToken(parts[0], Instant.ofEpochSecond(Long.parseLong(parts[1])), parts[2]));
  }

  /** Checks a presented header value for {@code sha256} at {@code now}; empty when it is good. */
  public static Optional<Problem> check(String header, String sha256, Instant now, Collection<PublicKey> keys) {
    if (header == null || header.isBlank()) {
      return Optional.of(Problem.MISSING);
    }
    Optional<ContentToken> token = decode(header);
    if (token.isEmpty()) {
      return Optional.of(Problem.MALFORMED);
    }
    ContentToken t = token.get();
    if (!t.sha256.equals(sha256.toLowerCase(Locale.ROOT))) {
      return Optional.of(Problem.WRONG_CONTENT);
    }
    if (!now.isBefore(t.expiresAt)) {
      return Optional.of(Problem.EXPIRED);
    }
    byte[] sig;
    try {
      sig = Base64.getUrlDecoder().decode(t.signature);
    } catch (IllegalArgumentException e) {
      return Optional.of(Problem.MALFORMED);
    }
    for (PublicKey k : keys) {
      try {
        Signature v = Signature.getInstance(TaskSignature.ALGORITHM);
        v.initVerify(k);
        v.update(payload(t.sha256, t.expiresAt));
        if (v.verify(sig)) {
          return Optional.empty();
        }
      } catch (GeneralSecurityException e) {
        // try the next key
      }
    }
    return Optional.of(Problem.BAD_SIGNATURE);
  }
}
