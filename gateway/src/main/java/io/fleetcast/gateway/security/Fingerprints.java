package io.fleetcast.gateway.security;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** SHA-256 certificate fingerprints as agents pin them: lower-case hex of the DER encoding. */
public final class Fingerprints {
  private Fingerprints() {}

  public static String sha256(X509Certificate cert) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot fingerprint certificate", e);
    }
  }

  /**
   * The fingerprint of the first certificate in a PEM file ({@code tls.caCert}): the CA that
   * issued the nodes' certificates (or a self-signed node certificate itself). Blocking: call at
   * start-up, off the event loop.
   */
  public static String caFile(Path pem) {
    X509Certificate cert;
    try {
      cert = DevCertificates.readCertificate(pem);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IllegalStateException("tls.caCert: cannot read a PEM certificate from " + pem + ": " + e.getMessage(), e);
    }
    return sha256(cert);
  }
}
