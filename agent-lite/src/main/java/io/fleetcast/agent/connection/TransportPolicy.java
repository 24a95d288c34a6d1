package io.fleetcast.agent.connection;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.TrustOptions;
import java.net.URI;
import java.util.Locale;

/**
 * Which URLs the agent may use and how it trusts TLS servers. Outside dev mode only
 * {@code wss://} and {@code https://}; with a pin, only servers matching it
 * ({@link PinningTrustManager}); without one, the JDK's default trust store.
 */
public final class TransportPolicy {
  private final boolean dev;
  private final CertificatePin pin;
  private final boolean verifyHost;

  public TransportPolicy(boolean dev, String pinSha256, boolean verifyHost) {
    this.dev = dev;
    this.pin = pinSha256 == null || pinSha256.isBlank() ? null : new CertificatePin(pinSha256);
    this.verifyHost = verifyHost;
  }

  public boolean dev() {
    return dev;
  }

  public CertificatePin pin() {
    return pin;
  }

  /** @throws IllegalArgumentException saying why the URL may not be used */
  public URI check(String url, boolean webSocket) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL: " + url);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String secure = webSocket ? "wss" : "https";
    String plain = webSocket ? "ws" : "http";
    if (scheme.equals(plain)) {
      if (!dev) {
        throw new IllegalArgumentException(plain + ":// is only allowed in dev mode (--dev): " + url);
      }
    } else if (!scheme.equals(secure)) {
      throw new IllegalArgumentException("expected a " + secure + ":// URL: " + url);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("URL has no host: " + url);
    }
    return uri;
  }

  public boolean allowed(String url, boolean webSocket) {
    try {
      check(url, webSocket);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public WebSocketClientOptions apply(WebSocketClientOptions o) {
    o.setVerifyHost(verifyHost);
    TrustOptions t = trust(false);
    if (t != null) {
      o.setTrustOptions(t);
    }
    return o;
  }

  /** @param downloads true for install downloads: the pin or the system trust store */
  public HttpClientOptions apply(HttpClientOptions o, boolean downloads) {
    o.setVerifyHost(verifyHost);
    TrustOptions t = trust(downloads);
    if (t != null) {
      o.setTrustOptions(t);
    }
    return o;
  }

  private TrustOptions trust(boolean orSystem) {
    if (pin == null) {
      return null;
    }
    return new PinnedTrustOptions(orSystem ? PinningTrustManager.orSystemTrust(pin) : PinningTrustManager.strict(pin));
  }
}
