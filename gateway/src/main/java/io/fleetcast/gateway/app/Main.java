package io.fleetcast.gateway.app;

import io.fleetcast.common.config.FleetcastConfig;
import io.fleetcast.common.config.Settings;
import io.fleetcast.common.log.LogSetup;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fleetcast [standalone|gateway|node|postgres|settings]}: the server roles. */
@Command(name = "fleetcast", mixinStandardHelpOptions = true, version = "fleetcast 0.1.0",
    description = "Fleetcast task server.",
    subcommands = {Main.Standalone.class, Main.GatewayRole.class, Main.NodeRole.class, Main.PostgresRole.class,
        Main.SettingsTable.class})
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
    FleetcastConfig base = FleetcastConfig.fromEnvironment(file, Map.of());
    Map<String, Object> merged = new HashMap<>();
    // role defaults apply only where neither file nor environment chose a value
    roleDefaults.forEach((k, v) -> {
      String env = Settings.byPath(k).orElseThrow().envName();
      if (System.getenv(env) == null) {
        merged.put(k, v);
      }
    });
    return merged.isEmpty() ? base : FleetcastConfig.fromEnvironment(file, merged);
  }

  static int serve(FleetcastConfig cfg, boolean gateway, boolean node, boolean embedded, String role) {
    LogSetup.install(cfg.string("logLevel"));
    ServerRuntime rt;
    try {
      rt = new ServerRuntime(cfg).start(gateway, node, embedded, role);
    } catch (RuntimeException e) {
      System.err.println("fleetcast: cannot start " + role + ": " + e);
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
      return serve(load(file, Map.of("dev", true)), true, true, true, "standalone");
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
      return serve(load(config, Map.of()), true, false, false, "gateway");
    }
  }

  @Command(name = "node", description = "A cluster node holding agent WebSockets (needs FLEETCAST_PG_URL).")
  static final class NodeRole implements Callable<Integer> {
    @Option(names = "--config") Path config;

    @Override
    public Integer call() {
      return serve(load(config, Map.of()), false, true, false, "node");
    }
  }

  @Command(name = "postgres", description = "Only the embedded Postgres, for a local multi-process cluster; prints its URL.")
  static final class PostgresRole implements Callable<Integer> {
    @Option(names = "--config") Path config;

    @Override
    public Integer call() throws Exception {
      FleetcastConfig cfg = load(config, Map.of());
      LogSetup.install(cfg.string("logLevel"));
      var db = io.fleetcast.common.db.EmbeddedDatabase.start(Path.of(cfg.string("dataDir")).resolve("postgres"),
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
}
