package io.fleetcast.agent.config;

import io.fleetcast.agent.facts.FactsProvider;
import io.fleetcast.agent.os.ConsentPrompt;
import io.fleetcast.agent.os.OsActions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an {@link io.fleetcast.agent.AgentLite} can be told. Fluent setters, defaults as
 * documented in agent-lite/README.md. Either {@code gatewayUrl} + {@code enrollmentToken}
 * (first start; later starts reuse the stored credentials), or pre-provisioned
 * {@code agentId} + {@code agentSecret} + {@code nodeUrls}.
 *
 * <p>Safety: there is no default Wake-on-LAN broadcast address here. The CLI supplies the
 * production default (255.255.255.255); programmatic users (tests) must set their own.
 */
public final class AgentOptions {
  public static final String VERSION = versionOrDev();

  private Path stateDir;
  private String gatewayUrl;
  private String enrollmentToken;
  private String agentId;
  private String agentSecret;
  private List<String> nodeUrls = List.of();
  private Map<String, String> signingKeys = Map.of();
  private List<String> tags = List.of();
  private boolean dev;
  private String pinSha256;
  private boolean verifyHost = true;
  private String hostname;

  private Duration backoffBase = Duration.ofSeconds(1);
  private Duration backoffCap = Duration.ofSeconds(60);
  private Duration stableConnection = Duration.ofSeconds(30);
  private Duration connectTimeout = Duration.ofSeconds(10);
  private Duration welcomeTimeout = Duration.ofSeconds(15);
  private Duration readIdleTimeout = Duration.ofSeconds(100);
  private Duration factsInterval = Duration.ofMinutes(5);

  private Duration defaultTaskTimeout = Duration.ofHours(1);
  private Duration killGrace = Duration.ofSeconds(2);
  /** How long a task's ack and "running" report wait for its result, which makes them unnecessary. */
  private Duration ackGrace = Duration.ofMillis(200);
  private int maxResultFrameBytes = 60 * 1024;
  private int historyMaxEntries = 10_000;
  private Duration historyWindow = Duration.ofDays(7);
  private Duration consentTimeout = Duration.ofMinutes(5);
  private ConsentPolicy consentWhenNoUser = ConsentPolicy.PROCEED;
  private ConsentPolicy consentWhenNoPrompt = ConsentPolicy.DECLINE;
  private PowerDeferral powerDeferral = PowerDeferral.DECLINE;
  private Duration powerRetryInterval = Duration.ofSeconds(60);
  private int downloadAttempts = 5;
  private Duration downloadRetryDelay = Duration.ofSeconds(1);
  private long maxDownloadBytes = 4L << 30;
  private io.fleetcast.agent.content.ContentOptions content = io.fleetcast.agent.content.ContentOptions.defaults();

  private String wakeBroadcast;
  private String wakeForceAddress;
  private int wakeRepeats = 3;
  private Duration wakeInterval = Duration.ofSeconds(1);

  private FactsProvider factsProvider;
  private OsActions osActions;
  private ConsentPrompt consentPrompt;
  private boolean crashAfterResultSend;
  private String version = VERSION;
  private Path installDir;
  private io.fleetcast.agent.update.SelfRestart selfRestart;

  public AgentOptions validate() {
    Objects.requireNonNull(stateDir, "stateDir is required");
    boolean preProvisioned = agentId != null || agentSecret != null;
    if (preProvisioned && (agentId == null || agentSecret == null)) {
      throw new IllegalArgumentException("pre-provisioned credentials need both agentId and agentSecret");
    }
    if (preProvisioned && nodeUrls.isEmpty() && gatewayUrl == null) {
      throw new IllegalArgumentException("pre-provisioned credentials need nodeUrls or a gatewayUrl to bootstrap from");
    }
    if (enrollmentToken != null && gatewayUrl == null) {
      throw new IllegalArgumentException("enrolling needs the gatewayUrl");
    }
    if (backoffBase.isNegative() || backoffBase.isZero() || backoffCap.compareTo(backoffBase) < 0) {
      throw new IllegalArgumentException("backoff: need 0 < base <= cap");
    }
    if (maxResultFrameBytes < 4096) {
      throw new IllegalArgumentException("maxResultFrameBytes must be at least 4096");
    }
    if (wakeRepeats < 1) {
      throw new IllegalArgumentException("wakeRepeats must be at least 1");
    }
    return this;
  }

  /**
   * The build's version: the resource {@value #VERSION_RESOURCE} when the jar carries one (first
   * on the class path wins), else the manifest's Implementation-Version, else 0.1.0-dev.
   */
  private static String versionOrDev() {
    try (var in = AgentOptions.class.getClassLoader().getResourceAsStream(VERSION_RESOURCE)) {
      if (in != null) {
        String v = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        if (!v.isEmpty()) {
          return v;
        }
      }
    } catch (java.io.IOException e) {
      // fall through to the manifest
    }
    String v = AgentOptions.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-dev" : v;
  }

  public static final String VERSION_RESOURCE = "fleetcast-agent.version";

  // ---- accessors, fluent setters ----

  /** Package content: site, subnet, source rule, bandwidth, cache, peer serving (see agent content). */
  public io.fleetcast.agent.content.ContentOptions content() { return content; }
  public AgentOptions content(io.fleetcast.agent.content.ContentOptions v) { content = Objects.requireNonNull(v); return this; }

  public Path stateDir() { return stateDir; }
  public AgentOptions stateDir(Path v) { stateDir = v; return this; }

  public String gatewayUrl() { return gatewayUrl; }
  public AgentOptions gatewayUrl(String v) { gatewayUrl = stripSlash(v); return this; }

  public String enrollmentToken() { return enrollmentToken; }
  public AgentOptions enrollmentToken(String v) { enrollmentToken = v; return this; }

  public String agentId() { return agentId; }
  public AgentOptions agentId(String v) { agentId = v; return this; }

  public String agentSecret() { return agentSecret; }
  public AgentOptions agentSecret(String v) { agentSecret = v; return this; }

  public List<String> nodeUrls() { return nodeUrls; }
  public AgentOptions nodeUrls(List<String> v) { nodeUrls = List.copyOf(v); return this; }

  /** keyId -> base64 X.509 Ed25519 public key; added to the keys from enrollment/bootstrap. */
  public Map<String, String> signingKeys() { return signingKeys; }
  public AgentOptions signingKeys(Map<String, String> v) { signingKeys = new LinkedHashMap<>(v); return this; }
  public AgentOptions signingKey(String keyId, String publicKeyBase64) {
    Map<String, String> m = new LinkedHashMap<>(signingKeys);
    m.put(keyId, publicKeyBase64);
    signingKeys = m;
    return this;
  }

  public List<String> tags() { return tags; }
  public AgentOptions tags(List<String> v) { tags = List.copyOf(v); return this; }

  /** Dev mode: allows ws:// and http://, and running unsigned tasks when the agent has no signing key. */
  public boolean dev() { return dev; }
  public AgentOptions dev(boolean v) { dev = v; return this; }

  /** SHA-256 (hex, colons allowed) of the server certificate or of a CA in its chain. */
  public String pinSha256() { return pinSha256; }
  public AgentOptions pinSha256(String v) { pinSha256 = v; return this; }

  public boolean verifyHost() { return verifyHost; }
  public AgentOptions verifyHost(boolean v) { verifyHost = v; return this; }

  public String hostname() { return hostname; }
  public AgentOptions hostname(String v) { hostname = v; return this; }

  public Duration backoffBase() { return backoffBase; }
  public AgentOptions backoffBase(Duration v) { backoffBase = v; return this; }

  public Duration backoffCap() { return backoffCap; }
  public AgentOptions backoffCap(Duration v) { backoffCap = v; return this; }

  /** A connection that lasted this long resets the back-off. */
  public Duration stableConnection() { return stableConnection; }
  public AgentOptions stableConnection(Duration v) { stableConnection = v; return this; }

  public Duration connectTimeout() { return connectTimeout; }
  public AgentOptions connectTimeout(Duration v) { connectTimeout = v; return this; }

  public Duration welcomeTimeout() { return welcomeTimeout; }
  public AgentOptions welcomeTimeout(Duration v) { welcomeTimeout = v; return this; }

  /** Nothing read (not even a ping) for this long: the connection is dead, reconnect. */
  public Duration readIdleTimeout() { return readIdleTimeout; }
  public AgentOptions readIdleTimeout(Duration v) { readIdleTimeout = v; return this; }

  public Duration factsInterval() { return factsInterval; }
  public AgentOptions factsInterval(Duration v) { factsInterval = v; return this; }

  public Duration defaultTaskTimeout() { return defaultTaskTimeout; }
  public AgentOptions defaultTaskTimeout(Duration v) { defaultTaskTimeout = v; return this; }

  public Duration killGrace() { return killGrace; }
  public AgentOptions killGrace(Duration v) { killGrace = v; return this; }
  public Duration ackGrace() { return ackGrace; }
  public AgentOptions ackGrace(Duration v) { ackGrace = v; return this; }

  public int maxResultFrameBytes() { return maxResultFrameBytes; }
  public AgentOptions maxResultFrameBytes(int v) { maxResultFrameBytes = v; return this; }

  public int historyMaxEntries() { return historyMaxEntries; }
  public AgentOptions historyMaxEntries(int v) { historyMaxEntries = v; return this; }

  public Duration historyWindow() { return historyWindow; }
  public AgentOptions historyWindow(Duration v) { historyWindow = v; return this; }

  public Duration consentTimeout() { return consentTimeout; }
  public AgentOptions consentTimeout(Duration v) { consentTimeout = v; return this; }

  public ConsentPolicy consentWhenNoUser() { return consentWhenNoUser; }
  public AgentOptions consentWhenNoUser(ConsentPolicy v) { consentWhenNoUser = v; return this; }

  public ConsentPolicy consentWhenNoPrompt() { return consentWhenNoPrompt; }
  public AgentOptions consentWhenNoPrompt(ConsentPolicy v) { consentWhenNoPrompt = v; return this; }

  public PowerDeferral powerDeferral() { return powerDeferral; }
  public AgentOptions powerDeferral(PowerDeferral v) { powerDeferral = v; return this; }

  public Duration powerRetryInterval() { return powerRetryInterval; }
  public AgentOptions powerRetryInterval(Duration v) { powerRetryInterval = v; return this; }

  public int downloadAttempts() { return downloadAttempts; }
  public AgentOptions downloadAttempts(int v) { downloadAttempts = v; return this; }

  public Duration downloadRetryDelay() { return downloadRetryDelay; }
  public AgentOptions downloadRetryDelay(Duration v) { downloadRetryDelay = v; return this; }

  public long maxDownloadBytes() { return maxDownloadBytes; }
  public AgentOptions maxDownloadBytes(long v) { maxDownloadBytes = v; return this; }

  /** Used for wake targets that name no broadcast address; null = such targets fail. */
  public String wakeBroadcast() { return wakeBroadcast; }
  public AgentOptions wakeBroadcast(String v) { wakeBroadcast = v; return this; }

  /** When set, every magic packet goes to this address whatever the node asked (tests, demos). */
  public String wakeForceAddress() { return wakeForceAddress; }
  public AgentOptions wakeForceAddress(String v) { wakeForceAddress = v; return this; }

  public int wakeRepeats() { return wakeRepeats; }
  public AgentOptions wakeRepeats(int v) { wakeRepeats = v; return this; }

  public Duration wakeInterval() { return wakeInterval; }
  public AgentOptions wakeInterval(Duration v) { wakeInterval = v; return this; }

  public FactsProvider factsProvider() { return factsProvider; }
  public AgentOptions factsProvider(FactsProvider v) { factsProvider = v; return this; }

  public OsActions osActions() { return osActions; }
  public AgentOptions osActions(OsActions v) { osActions = v; return this; }

  public ConsentPrompt consentPrompt() { return consentPrompt; }
  public AgentOptions consentPrompt(ConsentPrompt v) { consentPrompt = v; return this; }

  /**
   * Test hook: after the first result frame is written, drop the connection and stop the
   * agent without acknowledging or deleting anything, as if the process had been killed.
   */
  public boolean crashAfterResultSend() { return crashAfterResultSend; }
  public AgentOptions crashAfterResultSend(boolean v) { crashAfterResultSend = v; return this; }

  /** The version this agent reports in hello (default: the build's); in-process update tests set it. */
  public String version() { return version; }
  public AgentOptions version(String v) { version = v; return this; }

  /** The launcher's install directory; set, the agent can update itself (agentUpdate). */
  public Path installDir() { return installDir; }
  public AgentOptions installDir(Path v) { installDir = v; return this; }

  /** How to end the process into a staged update (default: halt with exit code 75 for the launcher). */
  public io.fleetcast.agent.update.SelfRestart selfRestart() { return selfRestart; }
  public AgentOptions selfRestart(io.fleetcast.agent.update.SelfRestart v) { selfRestart = v; return this; }

  private static String stripSlash(String url) {
    return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

}
