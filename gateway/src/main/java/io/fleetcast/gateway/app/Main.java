package io.fleetcast.gateway.app;

import io.fleetcast.common.config.FleetcastConfig;
import io.fleetcast.common.config.Settings;
import io.fleetcast.common.log.LogSetup;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fleetcast [standalone|gateway|node|depot|postgres|settings|gen-certs]}: the server roles and tools. */
@Command(name = "fleetcast", mixinStandardHelpOptions = true, version = "fleetcast 0.1.0",
    description = "Fleetcast task server.",
    subcommands = {Main.Standalone.class, Main.GatewayRole.class, Main.NodeRole.class, Main.PostgresRole.class, Main.DepotRole.class,
        Main.SettingsTable.class, Main.GenCerts.class})
public final class Main implements Callable<Integer> {

  @Option(names = "--config", description = "YAML or JSON configuration file (or FLEETCAST_CONFIG)")
  Path config;

  public static void main(String[] args) {
    System.setProperty("hazelcast.phone.home.enabled", "false");
    System.setProperty("hazelcast.logging.type", "jdk");
    System.exit(new CommandLine(new Main()).execute(args.length == 0 ? new String[] {"standalone"} : args));
  }

  @Override
  public Integer call() {
    return new Standalone().run(config);
  }

  static FleetcastConfig load(Path file, Map<String, Object> roleDefaults) {
    // role defaults apply only where neither the file nor the environment chose a value
    return FleetcastConfig.forRole(file, roleDefaults);
  }

  static int serve(Path file, ProcessRole role) {
    return serve(load(file, role.defaults()), role);
  }

  static int serve(FleetcastConfig cfg, ProcessRole role) {
    LogSetup.install(cfg.string("logLevel"));
    ServerRuntime rt;
    try {
      rt = new ServerRuntime(cfg).start(role);
    } catch (RuntimeException e) {
      // our own start-up checks say what to do in their message; anything else shows its type too
      boolean ours = e instanceof IllegalStateException || e instanceof IllegalArgumentException;
      System.err.println("fleetcast: cannot start " + role.wireName() + ": " + (ours && e.getMessage() != null ? e.getMessage() : e));
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        System.err.println("  caused by: " + c);
      }
      if (cfg.string("logLevel").equalsIgnoreCase("FINE")) {
        e.printStackTrace();
      }
      return 1;
    }
    Banner.print(cfg, rt);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      rt.close();
      stopped.countDown();
    }, "fleetcast-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  @Command(name = "standalone", description = "Gateway + node + embedded Postgres (unless FLEETCAST_PG_URL) in one JVM.")
  static final class Standalone implements Callable<Integer> {
    @Option(names = "--config") Path config;

    int run(Path file) {
      return serve(file, ProcessRole.STANDALONE);
    }

    @Override
    public Integer call() {
      return run(config);
    }
  }

  @Command(name = "gateway", description = "The ops API and rollout engine (needs FLEETCAST_PG_URL).")
  static final class GatewayRole implements Callable<Integer> {
    @Option(names = "--config") Path config;

    @Override
    public Integer call() {
      return serve(config, ProcessRole.GATEWAY);
    }
  }

  @Command(name = "node", description = "A cluster node holding agent WebSockets (needs FLEETCAST_PG_URL).")
  static final class NodeRole implements Callable<Integer> {
    @Option(names = "--config") Path config;

    @Override
    public Integer call() {
      return serve(config, ProcessRole.NODE);
    }
  }

  @Command(name = "depot", description = "A content depot for a branch office: serves packages, no agent sockets "
      + "(needs FLEETCAST_PG_URL).")
  static final class DepotRole implements Callable<Integer> {
    @Option(names = "--config") Path config;

    @Override
    public Integer call() {
      return serve(config, ProcessRole.DEPOT);
    }
  }

  @Command(name = "postgres", description = "Only the embedded Postgres, for a local multi-process cluster; prints its URL.")
  static final class PostgresRole implements Callable<Integer> {
    @Option(names = "--config") Path config;

    @Override
    public Integer call() throws Exception {
      FleetcastConfig cfg = load(config, Map.of());
      LogSetup.install(cfg.string("logLevel"));
      var db = io.fleetcast.common.db.EmbeddedDatabase.start(Path.of(cfg.string("dataDir")),
          cfg.integer("pg.embeddedPort"));
      System.out.println("FLEETCAST_PG_URL=" + db.url());
      System.out.flush();
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        db.close();
        stopped.countDown();
      }));
      stopped.await();
      return 0;
    }
  }

  @Command(name = "settings", description = "Prints every setting as a markdown table (for the README).")
  static final class SettingsTable implements Callable<Integer> {
    @Override
    public Integer call() {
      System.out.print(Settings.markdownTable());
      return 0;
    }
  }

  @Command(name = "gen-certs", description = "Writes a self-signed development CA and a server certificate for the "
      + "given hosts (ca.pem, ca-key.pem, server.pem = chain, server-key.pem) and prints the CA fingerprint agents pin. "
      + "Not for production: use certificates from your own CA there.")
  static final class GenCerts implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "./certs", description = "Output directory (default ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--hosts", split = ",", defaultValue = "127.0.0.1,localhost",
        description = "IP addresses and DNS names the server certificate is valid for (default ${DEFAULT-VALUE}).")
    java.util.List<String> hosts;

    @Option(names = "--days", defaultValue = "825", description = "Validity of the server certificate (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--new-ca", description = "Make a new CA even if the directory holds one (agents must then re-pin).")
    boolean newCa;

    @Override
    public Integer call() {
      io.fleetcast.gateway.security.DevCertificates.Result r;
      try {
        r = io.fleetcast.gateway.security.DevCertificates.generate(dir, hosts, java.time.Duration.ofDays(days), newCa);
      } catch (RuntimeException e) {
        System.err.println("fleetcast gen-certs: " + e.getMessage());
        return 2;
      }
      Path d = dir.toAbsolutePath().normalize();
      System.out.println("Development certificates in " + d + " (not for production):");
      System.out.println("  ca.pem          the CA certificate" + (r.caReused() ? " (kept from an earlier run)" : ""));
      System.out.println("  ca-key.pem      the CA key (0600): a later gen-certs in this directory reuses it; delete it to retire the CA");
      System.out.println("  server.pem      certificate for " + String.join(", ", hosts) + ", followed by the CA (the chain)");
      System.out.println("  server-key.pem  its private key (PKCS#8, 0600)");
      System.out.println();
      System.out.println("CA SHA-256 fingerprint (agents pin it):");
      System.out.println("  " + r.caSha256());
      System.out.println();
      System.out.println("Use them (or the same paths in the configuration file):");
      System.out.println("  export FLEETCAST_API_TLS_CERT=" + d.resolve("server.pem") + " FLEETCAST_API_TLS_KEY=" + d.resolve("server-key.pem"));
      System.out.println("  export FLEETCAST_AGENT_TLS_CERT=" + d.resolve("server.pem") + " FLEETCAST_AGENT_TLS_KEY=" + d.resolve("server-key.pem"));
      System.out.println("  export FLEETCAST_TLS_CA_CERT=" + d.resolve("ca.pem") + "   # enroll/bootstrap answers carry caSha256");
      System.out.println("  export FLEETCAST_CLUSTER_TLS_CERT=" + d.resolve("server.pem") + " FLEETCAST_CLUSTER_TLS_KEY="
          + d.resolve("server-key.pem") + " FLEETCAST_CLUSTER_TLS_CA=" + d.resolve("ca.pem") + "   # event bus TLS");
      String h = hosts.get(0).trim();
      System.out.println("  agent-lite: --gateway https://" + (h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h)
          + ":8080 --pin-sha256 " + r.caSha256());
      return 0;
    }
  }
}
