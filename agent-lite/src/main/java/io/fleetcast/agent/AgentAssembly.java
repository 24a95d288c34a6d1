package io.fleetcast.agent;

import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.config.StateDir;
import io.fleetcast.agent.connection.Backoff;
import io.fleetcast.agent.connection.NodeConnector;
import io.fleetcast.agent.connection.NodeLink;
import io.fleetcast.agent.connection.TransportPolicy;
import io.fleetcast.agent.content.ContentModule;
import io.fleetcast.agent.enroll.CredentialStore;
import io.fleetcast.agent.enroll.Credentials;
import io.fleetcast.agent.enroll.GatewayClient;
import io.fleetcast.agent.enroll.NodeDirectory;
import io.fleetcast.agent.enroll.SigningKey;
import io.fleetcast.agent.facts.FactsProvider;
import io.fleetcast.agent.facts.FactsService;
import io.fleetcast.agent.facts.SystemFactsProvider;
import io.fleetcast.agent.os.ConsentPrompt;
import io.fleetcast.agent.os.NoConsentPrompt;
import io.fleetcast.agent.os.OsActions;
import io.fleetcast.agent.os.SystemOsActions;
import io.fleetcast.agent.results.ResultOutbox;
import io.fleetcast.agent.results.ResultStore;
import io.fleetcast.agent.tags.AssignedTagStore;
import io.fleetcast.agent.tags.AssignedTags;
import io.fleetcast.agent.tags.GatewayTagSource;
import io.fleetcast.agent.task.ConsentGate;
import io.fleetcast.agent.task.LiveOutput;
import io.fleetcast.agent.task.SigningKeys;
import io.fleetcast.agent.task.TaskHistory;
import io.fleetcast.agent.task.TaskManager;
import io.fleetcast.agent.task.TaskVerifier;
import io.fleetcast.agent.task.kinds.Downloader;
import io.fleetcast.agent.task.kinds.ExecKind;
import io.fleetcast.agent.task.kinds.InstallKind;
import io.fleetcast.agent.task.kinds.InventoryKind;
import io.fleetcast.agent.task.kinds.PowerKind;
import io.fleetcast.agent.task.kinds.ProcessRunner;
import io.fleetcast.agent.task.kinds.ServiceKind;
import io.fleetcast.agent.update.AgentUpdateKind;
import io.fleetcast.agent.update.SelfRestart;
import io.fleetcast.agent.update.UpdateRecovery;
import io.fleetcast.agent.wake.WakeRelayer;
import io.fleetcast.protocol.log.Kv;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketClient;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The agent's composition root: builds every part from the options and the credentials, in two
 * steps ({@link #openState} on a worker, then {@link #wire}), and closes what it opened. It decides
 * nothing at run time; {@link AgentLifecycle} drives it and {@link FrameRouter} routes frames to its parts.
 */
final class AgentAssembly {
  private static final Logger LOG = Logger.getLogger(AgentAssembly.class.getName());

  final Vertx vertx;
  final AgentOptions options;
  final Context context;
  final AgentListener listener;
  final NodeLink link = new NodeLink();

  WorkerExecutor worker;
  StateDir state;
  ResultStore resultStore;
  volatile String agentId;
  ContentModule content;
  WebSocketClient wsClient;
  NodeConnector connector;
  TaskManager tasks;
  ResultOutbox outbox;
  FactsPublisher factsOut;
  WakeRelayer wake;
  LiveOutput live;
  UpdateRecovery updates;
  NodeDirectory directory;

  private TaskHistory history;
  private CredentialStore credStore;
  private FactsProvider provider;
  private HttpClient gatewayHttp;
  private HttpClient downloadHttp;
  private FactsService facts;
  private AssignedTags assigned;

  /** @param listener what every part reports to (the listeners' fan-out) */
  AgentAssembly(Vertx vertx, AgentOptions options, Context context, AgentListener listener) {
    this.vertx = vertx;
    this.options = options;
    this.context = context;
    this.listener = listener;
  }

  /** Opens the state dir (history, pending results) and returns the credentials: stored, or enrolled now. */
  Future<Credentials> openState(BooleanSupplier running) {
    worker = vertx.createSharedWorkerExecutor("fleetcast-agent-worker", 8, 1, TimeUnit.HOURS);
    state = new StateDir(options.stateDir());
    history = new TaskHistory(state, options.historyMaxEntries(), options.historyWindow(), Clock.systemUTC());
    resultStore = new ResultStore(state);
    credStore = new CredentialStore(state);
    provider = options.factsProvider() != null ? options.factsProvider() : new SystemFactsProvider(options.hostname());
    return worker.executeBlocking(() -> {
      state.open();
      history.load();
      resultStore.load();
      return credStore.load().orElse(null);
    }).compose(stored -> new CredentialSource(vertx, options, worker, state.root(), running)
        .credentials(stored, credStore, provider));
  }

  /** Builds the parts that need credentials; {@code routerOf} gives the connection's frame router. */
  void wire(Credentials creds, BooleanSupplier running, Function<AgentAssembly, NodeConnector.Agent> routerOf) {
    agentId = creds.agentId();
    String pin = options.pinSha256() != null ? options.pinSha256() : creds.caSha256();
    TransportPolicy policy = new TransportPolicy(options.dev(), pin, options.verifyHost());
    gatewayHttp = vertx.createHttpClient(policy.apply(new HttpClientOptions(), false));
    downloadHttp = vertx.createHttpClient(policy.apply(new HttpClientOptions(), true));
    wsClient = vertx.createWebSocketClient(policy.apply(NodeConnector.clientOptions(options.readIdleTimeout())));

    List<String> tags = creds.tagsWith(options.tags());
    facts = new FactsService(provider, worker, () -> tags);
    factsOut = new FactsPublisher(facts, link);
    SigningKeys keys = new SigningKeys();
    List<SigningKey> extra = SigningKey.listFromMap(options.signingKeys());
    GatewayClient gateway = new GatewayClient(gatewayHttp, policy, options.connectTimeout());
    directory = new NodeDirectory(gateway, credStore, worker, keys, extra, creds, options.agentId() == null,
        running::getAsBoolean);
    assigned = new AssignedTags(new GatewayTagSource(gateway, creds), new AssignedTagStore(state), worker,
        Clock.systemUTC(), AssignedTags.MIN_INTERVAL);
    TaskVerifier verifier = new TaskVerifier(keys, options.dev(), agentId, facts::last, assigned::current,
        Clock.systemUTC());
    if (verifier.unsignedAllowed()) {
      LOG.warning(Kv.event("signatures.disabled").kv("reason", "dev mode and no signing key: tasks run unsigned")
          .toString());
    }
    outbox = new ResultOutbox(resultStore, worker, link, options.maxResultFrameBytes(), listener);
    OsActions os = options.osActions() != null ? options.osActions() : new SystemOsActions(worker);
    ConsentPrompt prompt = options.consentPrompt() != null ? options.consentPrompt() : new NoConsentPrompt();
    live = new LiveOutput(context, link::send);
    ProcessRunner runner = new ProcessRunner(context, worker, options.killGrace(), live);
    Downloader downloader = new Downloader(vertx, downloadHttp, worker, policy, state.downloads(),
        options.downloadAttempts(), options.downloadRetryDelay(), options.maxDownloadBytes());
    content = new ContentModule(vertx, downloadHttp, worker, state.root().resolve("content"), options.content(),
        () -> creds.credential().authorizationHeader(), () -> facts.last() == null ? List.of() : facts.last().ips(),
        keys::all, runner, state.work(), policy);
    tasks = new TaskManager(vertx, context, worker, history, outbox, verifier, assigned,
        new ConsentGate(vertx, prompt, facts, options.consentTimeout(), options.consentWhenNoUser(),
            options.consentWhenNoPrompt()),
        List.of(new ExecKind(runner, state.work(), options.defaultTaskTimeout()),
            new InventoryKind(facts, factsOut::publish),
            new ServiceKind(os),
            new PowerKind(os, facts, options.powerDeferral(), options.powerRetryInterval()),
            new InstallKind(downloader, runner, worker, state.work(), options.defaultTaskTimeout(), content.install()),
            new AgentUpdateKind(downloader, keys, worker, options.installDir(),
                options.version(), options.selfRestart() != null ? options.selfRestart() : SelfRestart.haltJvm())),
        link, listener, Clock.systemUTC(), options.ackGrace());
    wake = new WakeRelayer(vertx, options.wakeBroadcast(), options.wakeForceAddress(), options.wakeRepeats(),
        options.wakeInterval());
    connector = new NodeConnector(vertx, wsClient, policy, creds.credential(),
        new Backoff(options.backoffBase(), options.backoffCap()), options.connectTimeout(), options.welcomeTimeout(),
        options.stableConnection(), routerOf.apply(this));
    updates = new UpdateRecovery(options.installDir(), options.version(), worker);
  }

  /** What runs before the first connection: facts, assigned tags, interrupted tasks and updates, content. */
  Future<Void> recover() {
    return facts.collect().<Void>mapEmpty().recover(e -> Future.succeededFuture())
        .compose(v -> assigned.load()).compose(v -> updates.load())
        .compose(deferred -> tasks.recoverInterrupted(deferred))
        .compose(v -> updates.report(tasks))
        .compose(v -> content.start());
  }

  /** Closes whatever was opened, in reverse dependency order; safe to call after a partial start. */
  void close() {
    if (wsClient != null) {
      wsClient.close();
    }
    if (gatewayHttp != null) {
      gatewayHttp.close();
    }
    if (content != null) {
      content.stop();
    }
    if (downloadHttp != null) {
      downloadHttp.close();
    }
    if (history != null) {
      history.close();
    }
    if (state != null) {
      state.close();
    }
    if (worker != null) {
      worker.close();
    }
  }
}
