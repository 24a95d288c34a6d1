package io.fleetcast.agent.connection;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts a server only when its certificate, or a CA certificate in the chain it presents,
 * has the pinned SHA-256 fingerprint. A pinned CA must really have issued the chain (a CA
 * certificate is public, so merely presenting it proves nothing): the chain up to the pinned
 * CA is validated with that CA as the only trust anchor. Everything else is refused.
 *
 * <p>With {@code fallback}, a chain the pin does not match may still be accepted by the
 * fallback (the JDK's default trust store): used for install downloads, whose integrity
 * comes from the signed sha256 rather than from TLS.
 */
public final class PinningTrustManager implements X509TrustManager {
  private final CertificatePin pin;
  private final X509TrustManager fallback;

  public PinningTrustManager(CertificatePin pin, X509TrustManager fallback) {
    this.pin = pin;
    this.fallback = fallback;
  }

  public static PinningTrustManager strict(CertificatePin pin) {
    return new PinningTrustManager(pin, null);
  }

  public static PinningTrustManager orSystemTrust(CertificatePin pin) {
    return new PinningTrustManager(pin, systemTrustManager());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    try {
      checkPinned(chain, authType);
    } catch (CertificateException pinFailure) {
      if (fallback == null) {
        throw pinFailure;
      }
      fallback.checkServerTrusted(chain, authType);
    }
  }

  private void checkPinned(X509Certificate[] chain, String authType) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("server presented no certificate");
    }
    for (int i = 0; i < chain.length; i++) {
      if (!pin.matches(chain[i])) {
        continue;
      }
      if (i == 0) {
        // the leaf itself is pinned; the handshake proved the server holds its key
        chain[0].checkValidity();
        return;
      }
      anchoredAt(chain[i]).checkServerTrusted(Arrays.copyOf(chain, i + 1), authType);
      return;
    }
    throw new CertificateException("server certificate chain does not match the pinned SHA-256 fingerprint "
        + pin.hex() + " (leaf is " + CertificatePin.fingerprint(chain[0]) + ")");
  }

  private static X509TrustManager anchoredAt(X509Certificate ca) throws CertificateException {
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setCertificateEntry("pinned-ca", ca);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(ks);
      return firstX509(tmf.getTrustManagers());
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new CertificateException("cannot validate against the pinned CA", e);
    }
  }

  static X509TrustManager systemTrustManager() {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init((KeyStore) null);
      return firstX509(tmf.getTrustManagers());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no default trust manager", e);
    }
  }

  private static X509TrustManager firstX509(TrustManager[] tms) {
    for (TrustManager tm : tms) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new IllegalStateException("no X509TrustManager");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the agent does not accept client connections");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
