package io.fleetcast.agent.connection;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/** A SHA-256 certificate fingerprint, given as hex (upper or lower case, colons or spaces allowed). */
public record CertificatePin(String hex) {

  public CertificatePin {
    hex = normalize(hex);
  }

  public static String normalize(String text) {
    if (text == null) {
      throw new IllegalArgumentException("empty certificate fingerprint");
    }
    String h = text.replace(":", "").replace(" ", "").trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("sha256/")) {
      h = h.substring("sha256/".length());
    }
    if (!h.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("certificate fingerprint must be 64 hex digits (SHA-256), got '" + text + "'");
    }
    return h;
  }

  public boolean matches(X509Certificate cert) {
    return hex.equals(fingerprint(cert));
  }

  public static String fingerprint(X509Certificate cert) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint certificate", e);
    }
  }
}
