package io.fleetcast.agent;

import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.config.ConsentPolicy;
import io.fleetcast.agent.config.Durations;
import io.fleetcast.agent.config.PowerDeferral;
import io.fleetcast.agent.log.AgentLogging;
import io.fleetcast.agent.os.CommandConsentPrompt;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar fleetcast-agent-lite.jar --gateway URL --enroll-token T --state-dir DIR ...} */
@Command(name = "fleetcast-agent-lite", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    sortOptions = false, usageHelpAutoWidth = true,
    description = "The Fleetcast reference agent: enrolls once, keeps one WebSocket to the cluster, runs tasks.")
public final class Main implements Callable<Integer> {

  @Option(names = "--gateway", paramLabel = "URL", description = "Gateway base URL, e.g. https://fleet.example:8080.")
  String gateway;

  @Option(names = "--enroll-token", paramLabel = "TOKEN",
      description = "Enrollment token (first start only; env FLEETCAST_ENROLL_TOKEN).")
  String enrollToken = System.getenv("FLEETCAST_ENROLL_TOKEN");

  @Option(names = "--state-dir", paramLabel = "DIR", description = "State directory (default: ${DEFAULT-VALUE}).")
  Path stateDir = Path.of("agent-state");

  @Option(names = "--tags", split = ",", paramLabel = "TAG", description = "Tags of this machine, comma separated.")
  List<String> tags = new ArrayList<>();

  @Option(names = "--dev", description = "Dev mode: allow ws:// and http://; run unsigned tasks when no key is known.")
  boolean dev = "true".equalsIgnoreCase(System.getenv("FLEETCAST_DEV"));

  @Option(names = "--pin-sha256", paramLabel = "HEX",
      description = "SHA-256 fingerprint of the server certificate or its CA; anything else is refused.")
  String pin;

  @Option(names = "--no-verify-host",
      description = "Do not check the server certificate's host name (a pinned leaf certificate is enough).")
  boolean noVerifyHost;

  @Option(names = "--hostname", description = "Report this host name instead of the system's.")
  String hostname;

  @Option(names = "--agent-id", description = "Pre-provisioned agent id (skips enrollment).")
  String agentId;

  @Option(names = "--agent-secret", description = "Pre-provisioned secret (env FLEETCAST_AGENT_SECRET).")
  String agentSecret = System.getenv("FLEETCAST_AGENT_SECRET");

  @Option(names = "--node", paramLabel = "URL", description = "Node URL(s) for pre-provisioned agents (repeatable).")
  List<String> nodes = new ArrayList<>();

  @Option(names = "--signing-key", paramLabel = "KEYID=BASE64",
      description = "Extra task-signing public key (repeatable).")
  Map<String, String> signingKeys = new LinkedHashMap<>();

  @Option(names = "--backoff-base", defaultValue = "1s", description = "Reconnect back-off base (${DEFAULT-VALUE}).")
  String backoffBase;

  @Option(names = "--backoff-cap", defaultValue = "60s", description = "Reconnect back-off cap (${DEFAULT-VALUE}).")
  String backoffCap;

  @Option(names = "--task-timeout", defaultValue = "1h",
      description = "Timeout of exec/install tasks that name none (${DEFAULT-VALUE}).")
  String taskTimeout;

  @Option(names = "--ack-grace", defaultValue = "200ms",
      description = "A task finishing within this time is reported by its result alone, without ack and running "
          + "report; 0 acks at once (${DEFAULT-VALUE}).")
  String ackGrace;

  @Option(names = "--consent-timeout", defaultValue = "5m", description = "How long the user has to answer.")
  String consentTimeout;

  @Option(names = "--consent-command", paramLabel = "CMD",
      description = "Dialog command asking for consent, split on spaces; {message} and {user} are replaced; exit 0 = yes.")
  String consentCommand;

  @Option(names = "--consent-when-no-user", defaultValue = "PROCEED",
      description = "requireConsent and nobody logged on: ${COMPLETION-CANDIDATES} (${DEFAULT-VALUE}).")
  ConsentPolicy consentWhenNoUser;

  @Option(names = "--consent-when-no-prompt", defaultValue = "DECLINE",
      description = "requireConsent, a user logged on, but no way to ask: ${COMPLETION-CANDIDATES} (${DEFAULT-VALUE}).")
  ConsentPolicy consentWhenNoPrompt;

  @Option(names = "--power-deferral", defaultValue = "DECLINE",
      description = "power onlyIfNoUser while users are logged on: ${COMPLETION-CANDIDATES} (${DEFAULT-VALUE}).")
  PowerDeferral powerDeferral;

  @Option(names = "--wake-broadcast", defaultValue = "255.255.255.255",
      description = "Broadcast address for wake targets that name none (${DEFAULT-VALUE}).")
  String wakeBroadcast;

  @Option(names = "--wake-force-address", description = "Send every magic packet here (demos: 127.0.0.1).")
  String wakeForceAddress;

  @Option(names = "--wake-repeats", defaultValue = "3", description = "Packets per target (${DEFAULT-VALUE}).")
  int wakeRepeats;

  @Option(names = "--wake-interval", defaultValue = "1s", description = "Pause between repeats (${DEFAULT-VALUE}).")
  String wakeInterval;

  @Option(names = "--install-dir", paramLabel = "DIR",
      description = "Install directory of the launcher (set by it; env FLEETCAST_AGENT_INSTALL_DIR): enables self-update.")
  Path installDir = System.getenv("FLEETCAST_AGENT_INSTALL_DIR") == null ? null
      : Path.of(System.getenv("FLEETCAST_AGENT_INSTALL_DIR"));
  @Option(names = "--site", description = "Site of this machine: depots of the same site are preferred.")
  String site;

  @Option(names = "--content-subnet", paramLabel = "CIDR",
      description = "Subnet this machine shares a peer cache with (default: the /24 of --peer-host).")
  String contentSubnet;

  @Option(names = "--source-rule", defaultValue = "SUBNET",
      description = "Depot ranking: SUBNET, LATENCY or FIRST_REACHABLE (${DEFAULT-VALUE}).")
  io.fleetcast.agent.content.SourceRule sourceRule;

  @Option(names = "--bandwidth-kbps", defaultValue = "0",
      description = "Download limit in kbit/s, 0 = none (a rollout can set its own).")
  long bandwidthKbps;

  @Option(names = "--cache-max-bytes", defaultValue = "10737418240", description = "Content cache bound (LRU).")
  long cacheMaxBytes;

  @Option(names = "--peer-host", paramLabel = "IP",
      description = "Serve cached content to this subnet's agents on this address (default: off).")
  String peerHost;

  @Option(names = "--peer-port", defaultValue = "0", description = "Port of the peer server (0 = any free one).")
  int peerPort;

  @Option(names = "--peer-max-concurrent", defaultValue = "4", description = "Peers served at once.")
  int peerMaxConcurrent;

  @Option(names = "--peer-max-kbps", defaultValue = "0", description = "Upload limit to peers in kbit/s, 0 = none.")
  long peerMaxKbps;

  @Option(names = "--download-subnets", split = ",", paramLabel = "CIDR",
      description = "Download content only while this machine has an address in one of these subnets.")
  List<String> downloadSubnets = List.of();

  @Option(names = "--log-level", defaultValue = "INFO", description = "java.util.logging level (${DEFAULT-VALUE}).")
  String logLevel;

  @Option(names = "--crash-after-result-send", hidden = true,
      description = "Test hook: stop abruptly right after sending the first result.")
  boolean crashAfterResultSend;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    AgentLogging.install(Level.parse(logLevel.toUpperCase()));
    AgentOptions o = options();
    Vertx vertx = Vertx.vertx();
    AgentLite agent = new AgentLite(vertx, o);
    if (consentCommand != null) {
      o.consentPrompt(new CommandConsentPrompt(vertx.createSharedWorkerExecutor("fleetcast-consent", 2, 1,
          TimeUnit.HOURS), Arrays.asList(consentCommand.trim().split("\\s+"))));
    }
    try {
      agent.start().await(24, TimeUnit.HOURS);
    } catch (Exception e) {
      System.err.println("fleetcast-agent-lite: " + e.getMessage());
      vertx.close();
      return 2;
    }
    Thread hook = new Thread(() -> {
      try {
        agent.stop().await(15, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // exiting anyway
      }
      vertx.close();
    }, "fleetcast-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    agent.stopped().await();
    if (crashAfterResultSend) {
      Runtime.getRuntime().halt(3);
    }
    return 0;
  }

  AgentOptions options() {
    AgentOptions o = new AgentOptions().stateDir(stateDir).gatewayUrl(gateway).tags(tags).dev(dev)
        .pinSha256(pin).verifyHost(!noVerifyHost).hostname(hostname).nodeUrls(nodes).signingKeys(signingKeys)
        .backoffBase(Durations.parse(backoffBase)).backoffCap(Durations.parse(backoffCap))
        .defaultTaskTimeout(Durations.parse(taskTimeout)).consentTimeout(Durations.parse(consentTimeout))
        .ackGrace(Durations.parse(ackGrace))
        .consentWhenNoUser(consentWhenNoUser).consentWhenNoPrompt(consentWhenNoPrompt).powerDeferral(powerDeferral)
        .wakeBroadcast(wakeBroadcast).wakeForceAddress(wakeForceAddress).wakeRepeats(wakeRepeats)
        .wakeInterval(Durations.parse(wakeInterval)).crashAfterResultSend(crashAfterResultSend).installDir(installDir)
        .content(io.fleetcast.agent.content.ContentOptions.defaults().withSite(site).withSubnet(contentSubnet)
            .withRule(sourceRule).withBandwidthKbps(bandwidthKbps).withCacheMaxBytes(cacheMaxBytes)
            .withPeerServer(peerHost, peerPort, peerMaxConcurrent, peerMaxKbps).withDownloadSubnets(downloadSubnets));
    if (agentId != null) {
      o.agentId(agentId).agentSecret(agentSecret);
    } else if (enrollToken != null && !Files.exists(stateDir.resolve("credentials.json"))) {
      o.enrollmentToken(enrollToken.trim());
    }
    return o;
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"fleetcast-agent-lite " + AgentOptions.VERSION};
    }
  }
}
