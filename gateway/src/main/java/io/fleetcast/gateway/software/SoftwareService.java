package io.fleetcast.gateway.software;


import io.fleetcast.common.depot.BlobStore;
import io.fleetcast.common.log.Kv;
import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.error.DomainError;
import io.fleetcast.gateway.software.PackageStore.PackageRow;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.UUID;
import java.util.logging.Logger;

/** The catalog's operations, each audited in the transaction that makes the change. */
public final class SoftwareService {
  private static final Logger LOG = Logger.getLogger(SoftwareService.class.getName());

  private final Vertx vertx;
  private final PackageStore store;
  private final BlobStore blobs;
  private final AuditLog audit;
  private final String originDepot;
  private final SoftwareMetrics metrics;

  public SoftwareService(Vertx vertx, PackageStore store, BlobStore blobs, AuditLog audit, String originDepot,
      SoftwareMetrics metrics) {
    this.vertx = vertx;
    this.store = store;
    this.blobs = blobs;
    this.audit = audit;
    this.originDepot = originDepot;
    this.metrics = metrics;
  }

  public PackageStore store() {
    return store;
  }

  /** Inspects a received upload, moves it into the blob store under its hash and records the package. */
  public Future<JsonObject> store(ReceivedUpload r, Principal who, String remote) {
    UploadRequest up = r.request();
    String archive = ArchiveInspector.kind(up.fileName());
    return vertx.<JsonArray>executeBlocking(() -> {
      try {
        return ArchiveInspector.files(r.temp(), up.fileName(), archive);
      } catch (ArchiveInspector.BadArchive e) {
        metrics.upload("badArchive", 1);
        throw DomainError.badRequest(e.getMessage() + "; nothing stored");
      }
    }, false).compose(files -> store.exists(up.name(), up.version()).compose(dup -> {
      if (dup) {
        metrics.upload("duplicate", 1);
        return Future.failedFuture(DomainError.conflict("package " + up.name() + " " + up.version()
            + " exists; upload another version or delete it first"));
      }
      PackageRow row = new PackageRow(UUID.randomUUID(), up.name(), up.version(), r.sha256(), r.size(), up.fileName(),
          archive, files, null, who.actor());
      return vertx.executeBlocking(() -> {
        if (blobs.has(r.sha256())) {
          Files.deleteIfExists(r.temp()); // same content uploaded before: keep one blob
        } else {
          blobs.adopt(r.temp(), r.sha256());
        }
        return null;
      }, false).compose(v -> store.pool().withTransaction(tx -> audit.append(tx, who.actor(), who.role().wire(),
              "package.create", row.id().toString(), remote, new JsonObject().put("name", row.name())
                  .put("version", row.version()).put("sha256", row.sha256()).put("size", row.size()))
          .compose(seq -> store.insert(tx, row, originDepot))))
          .map(v -> {
            metrics.upload("stored", 1);
            LOG.info(Kv.event("package.stored", "name", row.name(), "version", row.version(), "sha256", row.sha256(),
                "size", row.size()));
            return row.toJson().put("programs", new JsonArray());
          });
    }));
  }

  public Future<PackageRow> find(String ref) {
    return store.find(ref).compose(p -> p == null ? Future.failedFuture(DomainError.notFound("no package " + ref))
        : Future.succeededFuture(p));
  }

  public Future<JsonObject> describe(String ref) {
    return find(ref).compose(p -> Future.all(store.programs(p.id()), store.placements(p.sha256()))
        .map(all -> p.toJson().put("programs", all.<JsonArray>resultAt(0)).put("depots", all.<JsonArray>resultAt(1))));
  }

  /** Deletes a package no active rollout uses, and (SMS Remove Package) its content from every depot. */
  public Future<Void> delete(String ref, Principal who, String remote) {
    return find(ref).compose(p -> store.pool().withTransaction(tx -> tx.preparedQuery(
                "SELECT 1 FROM packages WHERE id = $1 FOR UPDATE").execute(io.vertx.sqlclient.Tuple.of(p.id()))
            .compose(x -> store.activeRolloutsUsing(tx, p.id()))
            .compose(using -> {
              if (!using.isEmpty()) {
                return Future.failedFuture(DomainError.conflict("package " + p.name() + " " + p.version()
                    + " is used by active rollout(s) " + String.join(", ", using)
                    + "; cancel them or wait until they end"));
              }
              return audit.append(tx, who.actor(), who.role().wire(), "package.delete", p.id().toString(), remote,
                      new JsonObject().put("name", p.name()).put("version", p.version()).put("sha256", p.sha256()))
                  .compose(seq -> store.delete(tx, p));
            }))
        .compose(contentGone -> !contentGone ? Future.succeededFuture()
            : vertx.executeBlocking(() -> blobs.delete(p.sha256()), false)
                .compose(x -> store.pool().preparedQuery("DELETE FROM depot_content WHERE depot = $1 AND sha256 = $2")
                    .execute(io.vertx.sqlclient.Tuple.of(originDepot, p.sha256())))
                .<Void>mapEmpty()));
  }

  public Future<JsonObject> addProgram(String ref, ProgramSpec program, Principal who, String remote) {
    return find(ref).compose(p -> store.pool().withTransaction(tx -> store.addProgram(tx, p.id(), program)
        .compose(added -> !added ? Future.failedFuture(DomainError.conflict("package " + p.name()
                + " has a program named " + program.name()))
            : audit.append(tx, who.actor(), who.role().wire(), "package.program.create", p.id().toString(), remote,
                program.toJson()).map(program.toJson()))));
  }

  public Future<Void> deleteProgram(String ref, String name, Principal who, String remote) {
    return find(ref).compose(p -> store.pool().withTransaction(tx -> store.deleteProgram(tx, p.id(), name)
        .compose(gone -> !gone ? Future.failedFuture(DomainError.notFound("package " + p.name() + " has no program " + name))
            : audit.append(tx, who.actor(), who.role().wire(), "package.program.delete", p.id().toString(), remote,
                new JsonObject().put("program", name)).mapEmpty())));
  }

  public Future<JsonObject> distribute(String ref, DistributionTarget target, Principal who, String remote) {
    return find(ref).compose(p -> store.pool().withTransaction(tx -> audit.append(tx, who.actor(), who.role().wire(),
                "package.distribute", p.id().toString(), remote,
                new JsonObject().put("target", target.kind().name().toLowerCase()).put("names", target.names()))
            .compose(seq -> store.distribute(tx, p.sha256(), target)))
        .compose(n -> store.placements(p.sha256()).map(placements -> new JsonObject().put("asked", n)
            .put("depots", placements))));
  }
}
