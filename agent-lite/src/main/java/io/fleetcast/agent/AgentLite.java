package io.fleetcast.agent;

import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.config.StateDir;
import io.fleetcast.agent.connection.Backoff;
import io.fleetcast.agent.connection.NodeConnector;
import io.fleetcast.agent.connection.NodeLink;
import io.fleetcast.agent.connection.NodeSession;
import io.fleetcast.agent.connection.TransportPolicy;
import io.fleetcast.agent.enroll.CredentialStore;
import io.fleetcast.agent.enroll.Credentials;
import io.fleetcast.agent.enroll.GatewayClient;
import io.fleetcast.agent.enroll.NodeDirectory;
import io.fleetcast.agent.enroll.SigningKey;
import io.fleetcast.agent.facts.FactsProvider;
import io.fleetcast.agent.facts.FactsService;
import io.fleetcast.agent.facts.SystemFactsProvider;
import io.fleetcast.protocol.log.Kv;
import io.fleetcast.agent.os.ConsentPrompt;
import io.fleetcast.agent.os.NoConsentPrompt;
import io.fleetcast.agent.os.OsActions;
import io.fleetcast.agent.os.SystemOsActions;
import io.fleetcast.agent.results.ResultOutbox;
import io.fleetcast.agent.results.ResultStore;
import io.fleetcast.agent.task.ConsentGate;
import io.fleetcast.agent.task.SigningKeys;
import io.fleetcast.agent.task.TaskHistory;
import io.fleetcast.agent.task.TaskManager;
import io.fleetcast.agent.task.TaskVerifier;
import io.fleetcast.agent.content.ContentModule;
import io.fleetcast.agent.task.kinds.Downloader;
import io.fleetcast.agent.task.kinds.ExecKind;
import io.fleetcast.agent.task.kinds.InstallKind;
import io.fleetcast.agent.task.kinds.InventoryKind;
import io.fleetcast.agent.task.kinds.PowerKind;
import io.fleetcast.agent.task.kinds.ProcessRunner;
import io.fleetcast.agent.task.kinds.ServiceKind;
import io.fleetcast.agent.wake.WakeRelayer;
import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.NodeMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketClient;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The reference agent, embeddable: {@code new AgentLite(vertx, options).start()}. It enrolls
 * (or reuses its stored credentials), connects to a node, runs tasks and relays Wake-on-LAN
 * until {@link #stop()}. All its state lives on one Vert.x context; blocking work runs on a
 * worker pool. See agent-lite/README.md for options, state-dir layout and guarantees.
 */
public final class AgentLite {
  private static final Logger LOG = Logger.getLogger(AgentLite.class.getName());

  private final Vertx vertx;
  private final AgentOptions options;
  private final Context context;
  private final List<AgentListener> listeners = new CopyOnWriteArrayList<>();
  private final List<String> executed = new CopyOnWriteArrayList<>();
  private final Promise<Void> stoppedPromise = Promise.promise();
  private final AgentListener fanout = new ListenerFanout(listeners, executed);

  private volatile String agentId;
  private volatile boolean connected;
  private volatile boolean running;
  private boolean halted;

  private WorkerExecutor worker;
  private io.fleetcast.agent.task.LiveOutput live;
  private StateDir state;
  private TaskHistory history;
  private ResultStore resultStore;
  private HttpClient gatewayHttp;
  private HttpClient downloadHttp;
  private ContentModule content;
  private WebSocketClient wsClient;
  private NodeConnector connector;
  private TaskManager tasks;
  private ResultOutbox outbox;
  private FactsService facts;
  private WakeRelayer wake;
  private final NodeLink link = new NodeLink();
  private FactsPublisher factsOut;
  private io.fleetcast.agent.update.UpdateRecovery updates;
  private long factsTimer = -1;

  public AgentLite(Vertx vertx, AgentOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.context = vertx.getOrCreateContext();
  }

  /** Adds a listener; add it before {@link #start()} to see everything. */
  public AgentLite addListener(AgentListener listener) {
    listeners.add(listener);
    return this;
  }

  /** Enrolls or loads credentials, recovers the state dir and starts connecting; does not wait for a node. */
  public Future<Void> start() {
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> doStart().onComplete(started));
    return started.future();
  }

  /** Cancels running tasks (bounded wait for their results to reach disk), closes the connection. */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> doStop().onComplete(done));
    return done.future();
  }

  /** The content side (cache, peer server); null before start. */
  public ContentModule content() {
    return content;
  }

  /** Completes when the agent stopped: by {@link #stop()}, or by the crash test hook. */
  public Future<Void> stopped() {
    return stoppedPromise.future();
  }

  public String agentId() {
    return agentId;
  }

  /** True between {@code welcome} and the end of that connection. */
  public boolean connected() {
    return connected;
  }

  /** Task ids whose kind started running in this process, in order (a repeat would mean a task ran twice). */
  public List<String> executedTaskIds() {
    return List.copyOf(executed);
  }

  public int pendingResults() {
    return resultStore == null ? 0 : resultStore.size();
  }

  public AgentOptions options() {
    return options;
  }

  private Future<Void> doStart() {
    if (running) {
      return Future.failedFuture("already started");
    }
    try {
      options.validate();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    running = true;
    worker = vertx.createSharedWorkerExecutor("fleetcast-agent-worker", 8, 1, TimeUnit.HOURS);
    state = new StateDir(options.stateDir());
    history = new TaskHistory(state, options.historyMaxEntries(), options.historyWindow(), Clock.systemUTC());
    resultStore = new ResultStore(state);
    CredentialStore credStore = new CredentialStore(state);
    FactsProvider provider = options.factsProvider() != null ? options.factsProvider()
        : new SystemFactsProvider(options.hostname());
    return worker.executeBlocking(() -> {
      state.open();
      history.load();
      resultStore.load();
      return credStore.load().orElse(null);
    }).compose(stored -> new CredentialSource(vertx, options, worker, state.root(), () -> running)
        .credentials(stored, credStore, provider))
        .compose(creds -> wire(creds, credStore, provider))
        .onFailure(e -> {
          LOG.severe(Kv.event("agent.start.failed").kv("error", e.getMessage()).toString());
          running = false;
          closeResources();
        });
  }

  private Future<Void> wire(Credentials creds, CredentialStore credStore, FactsProvider provider) {
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
    NodeDirectory directory = new NodeDirectory(gateway, credStore, worker, keys, extra, creds, options.agentId() == null, () -> running);
    var assigned = new io.fleetcast.agent.tags.AssignedTags(new io.fleetcast.agent.tags.GatewayTagSource(gateway, creds), new io.fleetcast.agent.tags.AssignedTagStore(state), worker,
        Clock.systemUTC(), io.fleetcast.agent.tags.AssignedTags.MIN_INTERVAL);
    TaskVerifier verifier = new TaskVerifier(keys, options.dev(), agentId, facts::last, assigned::current,
        Clock.systemUTC());
    if (verifier.unsignedAllowed()) {
      LOG.warning(Kv.event("signatures.disabled").kv("reason", "dev mode and no signing key: tasks run unsigned")
          .toString());
    }
    outbox = new ResultOutbox(resultStore, worker, link, options.maxResultFrameBytes(), fanout);
    if (options.crashAfterResultSend()) {
      outbox.afterResultSent(this::crash);
    }
    OsActions os = options.osActions() != null ? options.osActions() : new SystemOsActions(worker);
    ConsentPrompt prompt = options.consentPrompt() != null ? options.consentPrompt() : new NoConsentPrompt();
    live = new io.fleetcast.agent.task.LiveOutput(context, link::send);
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
            new io.fleetcast.agent.update.AgentUpdateKind(downloader, keys, worker, options.installDir(),
                options.version(), options.selfRestart() != null ? options.selfRestart()
                    : io.fleetcast.agent.update.SelfRestart.haltJvm())),
        link, fanout, Clock.systemUTC());
    wake = new WakeRelayer(vertx, options.wakeBroadcast(), options.wakeForceAddress(), options.wakeRepeats(),
        options.wakeInterval());
    connector = new NodeConnector(vertx, wsClient, policy, creds.credential(),
        new Backoff(options.backoffBase(), options.backoffCap()), options.connectTimeout(), options.welcomeTimeout(),
        options.stableConnection(), new Router(directory));
    updates = new io.fleetcast.agent.update.UpdateRecovery(options.installDir(), options.version(), worker);
    return facts.collect().<Void>mapEmpty().recover(e -> Future.succeededFuture())
        .compose(v -> assigned.load()).compose(v -> updates.load())
        .compose(deferred -> tasks.recoverInterrupted(deferred))
        .compose(v -> updates.report(tasks))
        .compose(v -> content.start())
        .onSuccess(v -> {
          connector.start();
          factsTimer = vertx.setPeriodic(Math.max(1000, options.factsInterval().toMillis()), id -> {
            if (!halted) {
              factsOut.refresh();
            }
          });
          LOG.info(Kv.event("agent.started").kv("agentId", agentId).kv("version", options.version())
              .kv("stateDir", state.root()).kv("dev", options.dev()).kv("pendingResults", resultStore.size())
              .toString());
        });
  }

  /** Routes connection events to the parts of the agent. */
  private final class Router implements NodeConnector.Agent {
    private final NodeDirectory directory;

    Router(NodeDirectory directory) {
      this.directory = directory;
    }

    @Override
    public Future<List<String>> nodes() {
      return directory.nodes();
    }

    @Override
    public Future<AgentMessage.Hello> hello() {
      return factsOut.forHello().map(f -> new AgentMessage.Hello(agentId, options.version(), f));
    }

    @Override
    public void welcomed(NodeSession session, NodeMessage.Welcome welcome) {
      if (halted) {
        return;
      }
      link.attach(session);
      connected = true;
      fanout.onConnected(session.url(), welcome.nodeId());
      outbox.resendAll();
      // welcomed after a hello with our version: a pending self-update is confirmed now
      updates.connected(tasks).onFailure(e -> LOG.warning(Kv.event("update.confirm.failed")
          .kv("error", e.getMessage()).toString()));
    }

    @Override
    public void received(NodeMessage message) {
      if (halted) {
        return;
      }
      if (message instanceof NodeMessage.Task t) {
        tasks.onTask(t);
      } else if (message instanceof NodeMessage.Cancel c) {
        tasks.onCancel(c);
      } else if (message instanceof NodeMessage.ResultAck a) {
        outbox.acked(a);
      } else if (message instanceof NodeMessage.WatchOutput w) {
        live.watch(w.taskId(), w.seconds());
      } else if (message instanceof NodeMessage.WakeRelay w) {
        wake.relay(w).onSuccess(done -> {
          link.send(done);
          fanout.onWakeDone(done);
        });
      }
    }

    @Override
    public void closed(NodeSession session, String reason) {
      link.detach(session);
      connected = link.up();
      fanout.onDisconnected(session.url(), reason);
    }
  }

  /**
   * Ends this agent as if its process was killed: no goodbye, nothing acknowledged, running tasks
   * abandoned (in-process self-update tests restart an agent this way).
   */
  public void halt() {
    context.runOnContext(v -> crash());
  }

  /** The crash test hook: drop the connection, stop touching the state dir, do not acknowledge anything. */
  private void crash() {
    if (halted) {
      return;
    }
    halted = true;
    LOG.warning(Kv.event("agent.crash.simulated").kv("agentId", agentId).toString());
    connector.halt();
    connected = false;
    // closing the client drops its connections underneath the session: no goodbye, no further frames
    wsClient.close().eventually(() -> {
      running = false;
      closeResources();
      return Future.succeededFuture();
    }).onComplete(ar -> finishStop());
  }

  private Future<Void> doStop() {
    if (!running) {
      return Future.succeededFuture();
    }
    running = false;
    if (factsTimer >= 0) {
      vertx.cancelTimer(factsTimer);
    }
    Future<Void> drained = tasks == null ? Future.succeededFuture()
        : tasks.stopAll(options.killGrace().toMillis() + 3000);
    return drained.compose(v -> connector == null ? Future.succeededFuture() : connector.stop())
        .eventually(() -> {
          halted = true;
          connected = false;
          closeResources();
          return Future.succeededFuture();
        })
        .onComplete(ar -> finishStop());
  }

  private void finishStop() {
    LOG.info(Kv.event("agent.stopped").kv("agentId", agentId).toString());
    if (stoppedPromise.tryComplete()) {
      fanout.onStopped();
    }
  }

  private void closeResources() {
    if (factsTimer >= 0) {
      vertx.cancelTimer(factsTimer);
      factsTimer = -1;
    }
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
