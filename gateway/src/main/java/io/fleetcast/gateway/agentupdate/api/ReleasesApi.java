package io.fleetcast.gateway.agentupdate.api;

import io.fleetcast.gateway.agentupdate.AgentUpdateSpec;
import io.fleetcast.gateway.agentupdate.ReleaseStore;
import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.error.BodyReader;
import io.fleetcast.gateway.error.FieldError;
import io.fleetcast.gateway.http.ApiResource;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.http.RouteTable;
import io.fleetcast.gateway.rollout.TaskSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Agent-lite releases: {@code POST /api/v1/agent-releases} (admin) publishes a jar the gateway
 * can read (hash computed here, signed with the cluster's task-signing key); {@code GET} lists
 * and shows them with the ready-made {@code agentUpdate} step spec; agents download the bytes from
 * {@code GET /agent/v1/releases/{version}/download} (no credential: what protects it is the
 * signature the agent checks, not secrecy).
 */
public final class ReleasesApi implements ApiResource {
  public static final long MAX_JAR_BYTES = 256L << 20;

  private final Vertx vertx;
  private final ReleaseStore store;
  private final TaskSigner signer;
  private final AuditLog audit;
  private final Supplier<String> baseUrl;
  // a wave of agents downloads the same jar: one copy in memory per recent version, not one per request
  private final java.util.LinkedHashMap<String, Future<Buffer>> cache = new java.util.LinkedHashMap<>(4, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(java.util.Map.Entry<String, Future<Buffer>> eldest) {
      return size() > 2;
    }
  };

  public ReleasesApi(Vertx vertx, ReleaseStore store, TaskSigner signer, AuditLog audit, Supplier<String> baseUrl) {
    this.vertx = vertx;
    this.store = store;
    this.signer = signer;
    this.audit = audit;
    this.baseUrl = baseUrl;
  }

  @Override
  public void mount(RouteTable routes) {
    routes.post("/api/v1/agent-releases", Role.ADMIN,
        ctx -> Http.reply(ctx, 201, publish(Http.jsonBody(ctx), Http.principal(ctx), Http.remote(ctx))));
    routes.get("/api/v1/agent-releases", Role.VIEWER, ctx -> Http.reply(ctx, 200,
        store.list().map(items -> new JsonObject().put("items", items))));
    routes.get("/api/v1/agent-releases/:version", Role.VIEWER,
        ctx -> Http.reply(ctx, 200, store.get(ctx.pathParam("version"))
        .compose(rel -> rel == null ? Future.failedFuture(Problem.notFound("no release " + ctx.pathParam("version")))
            : Future.succeededFuture(rel.toJson().put("updateSpec", AgentUpdateSpec.of(rel, baseUrl.get()))))));
    routes.open(HttpMethod.GET, "/agent/v1/releases/:version/download", ctx -> content(ctx.pathParam("version"))
        .onFailure(ctx::fail)
        .onSuccess(bytes -> {
          if (bytes == null) {
            ctx.fail(Problem.notFound("no release " + ctx.pathParam("version")));
          } else {
            ctx.response().putHeader("Content-Type", "application/java-archive").end(bytes);
          }
        }));
  }

  /** The release's bytes, from the cache when recent; a failed or missing read is not kept. */
  private Future<Buffer> content(String version) {
    Future<Buffer> f;
    synchronized (cache) {
      f = cache.get(version);
      if (f == null) {
        f = store.content(version);
        cache.put(version, f);
      }
    }
    f.onComplete(ar -> {
      if (ar.failed() || ar.result() == null) {
        synchronized (cache) {
          cache.remove(version);
        }
      }
    });
    return f;
  }

  /** Body {@code {version, file}}: the jar at {@code file} on this gateway becomes release {@code version}. */
  Future<JsonObject> publish(JsonObject body, Principal who, String remote) {
    BodyReader b = BodyReader.of(body);
    b.onlyKnown(Set.of("version", "file"));
    String version = b.string("version", true, 64);
    if (version != null && !AgentUpdateSpec.VERSION.matcher(version).matches()) {
      b.error("version", "must be letters, digits and . _ + - (at most 64)");
    }
    String file = b.string("file", true, 4096);
    b.throwIfInvalid();
    return vertx.executeBlocking(() -> {
      Path p = Path.of(file);
      if (!Files.isRegularFile(p) || Files.size(p) == 0 || Files.size(p) > MAX_JAR_BYTES) {
        throw Problem.invalid(java.util.List.of(new FieldError("file",
            "must be a readable jar on the gateway of at most " + (MAX_JAR_BYTES >> 20) + " MiB")));
      }
      return Buffer.buffer(Files.readAllBytes(p));
    }, false).compose(bytes -> {
      String sha = sha256(bytes.getBytes());
      ReleaseStore.Release rel = new ReleaseStore.Release(version, sha, bytes.length(), signer.keyId(),
          signer.signRelease(version, sha), null);
      return store.pool().withTransaction(tx -> audit.append(tx, who.actor(), who.role().wire(), "agent_release.publish",
              version, remote, new JsonObject().put("sha256", sha).put("size", bytes.length()))
          .compose(seq -> store.insert(tx, rel, bytes, who.actor()))
          .compose(ok -> ok ? Future.succeededFuture(rel)
              : Future.failedFuture(Problem.conflict("release " + version + " exists; versions are immutable"))))
          .map(x -> rel.toJson().put("updateSpec", AgentUpdateSpec.of(rel, baseUrl.get())));
    });
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
