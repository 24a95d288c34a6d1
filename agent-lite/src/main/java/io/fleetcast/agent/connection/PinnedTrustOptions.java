package io.fleetcast.agent.connection;

import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import java.security.KeyStore;
import java.security.Provider;
import java.util.function.Function;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;

/**
 * Hands a {@link PinningTrustManager} to Vert.x. Written out rather than
 * {@code TrustOptions.wrap(...)}, whose Vert.x 5 implementation needs SLF4J on the class path
 * (the agent keeps to java.util.logging and has no SLF4J).
 */
final class PinnedTrustOptions implements TrustOptions {
  private final TrustManager manager;

  PinnedTrustOptions(TrustManager manager) {
    this.manager = manager;
  }

  @Override
  public TrustOptions copy() {
    return new PinnedTrustOptions(manager);
  }

  @Override
  public TrustManagerFactory getTrustManagerFactory(Vertx vertx) {
    return new FixedFactory(manager);
  }

  @Override
  public Function<String, TrustManager[]> trustManagerMapper(Vertx vertx) {
    return serverName -> new TrustManager[] {manager};
  }

  /** A factory that always yields the one pinned manager. */
  private static final class FixedFactory extends TrustManagerFactory {
    FixedFactory(TrustManager manager) {
      super(new TrustManagerFactorySpi() {
        @Override
        protected void engineInit(KeyStore ks) {
          // nothing to load: the manager is fixed
        }

        @Override
        protected void engineInit(ManagerFactoryParameters spec) {
          // nothing to load: the manager is fixed
        }

        @Override
        protected TrustManager[] engineGetTrustManagers() {
          return new TrustManager[] {manager};
        }
      }, new Provider("fleetcast-pin", "1.0", "pinned trust manager") {
        private static final long serialVersionUID = 1L;
      }, "PKIX");
    }
  }
}
