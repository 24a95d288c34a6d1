package io.fleetcast.gateway.software;

import io.fleetcast.common.depot.DepotStore;
import io.fleetcast.common.depot.DepotStore.DepotRow;
import io.fleetcast.gateway.error.DomainError;
import io.fleetcast.gateway.error.FieldError;
import io.fleetcast.gateway.rollout.RolloutService;
import io.fleetcast.gateway.rollout.RolloutSpec;
import io.fleetcast.gateway.rollout.StepSpec;
import io.fleetcast.gateway.rollout.TaskSigner;
import io.fleetcast.gateway.software.PackageStore.PackageRow;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns {@code {"kind": "install", "spec": {"package": "...", "program": "..."}}} into the task
 * spec agents run: the content hash and size (signed with the task, so every byte is checked
 * against it), the depots as sources with their sites and subnets (the agent ranks them), a
 * peer-cache token, and the program. Asks every depot lacking the content to fetch it now
 * (distribution "when a rollout needs it").
 */
public final class InstallResolver implements RolloutService.StepResolver {
  private final PackageStore packages;
  private final DepotStore depots;
  private final TaskSigner signer;
  private final Duration peerTokenTtl;

  public InstallResolver(PackageStore packages, DepotStore depots, TaskSigner signer, Duration peerTokenTtl) {
    this.packages = packages;
    this.depots = depots;
    this.signer = signer;
    this.peerTokenTtl = peerTokenTtl;
  }

  @Override
  public Future<List<StepSpec>> resolve(RolloutSpec spec) {
    List<Future<StepSpec>> steps = new ArrayList<>();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < spec.steps().size(); i++) {
      StepSpec step = spec.steps().get(i);
      String field = "steps[" + i + "].spec";
      steps.add(isPackageInstall(step) ? resolve(step, field, spec.strategy().expiresAt(), errors)
          : Future.succeededFuture(step));
    }
    return Future.all(steps).compose(all -> {
      if (!errors.isEmpty()) {
        return Future.failedFuture(DomainError.invalid(errors));
      }
      return Future.succeededFuture(all.<StepSpec>list());
    });
  }

  static boolean isPackageInstall(StepSpec step) {
    return "install".equals(step.kind()) && step.spec() != null && step.spec().containsKey("package");
  }

  private Future<StepSpec> resolve(StepSpec step, String field, Instant expiresAt, List<FieldError> errors) {
    String ref = step.spec().getString("package");
    String programName = step.spec().getString("program");
    return packages.find(ref).compose(p -> {
      if (p == null) {
        synchronized (errors) {
          errors.add(new FieldError(field + ".package", "no package " + ref));
        }
        return Future.succeededFuture(step);
      }
      return packages.program(p.id(), programName).compose(program -> {
        if (program == null) {
          synchronized (errors) {
            errors.add(new FieldError(field + ".program", "package " + p.name() + " has no program " + programName));
          }
          return Future.succeededFuture(step);
        }
        String runAt = step.spec().getString("runAt");
        if (runAt != null && expiresAt != null && !Instant.parse(runAt).isBefore(expiresAt)) {
          synchronized (errors) {
            errors.add(new FieldError(field + ".runAt", "must be before the rollout expires (" + expiresAt + ")"));
          }
          return Future.succeededFuture(step);
        }
        return packages.pool().withTransaction(tx -> packages.distribute(tx, p.sha256(), DistributionTarget.ALL))
            .compose(n -> depots.all())
            .map(all -> {
              JsonObject spec = taskSpec(p, ProgramSpec.fromJson(program), all, expiresAt,
                  step.spec().getInteger("bandwidthKbps"));
              if (runAt != null) {
                spec.put("runAt", Instant.parse(runAt).toString());
              }
              return new StepSpec(step.kind(), spec, step.continueOn());
            });
      });
    });
  }

  JsonObject taskSpec(PackageRow p, ProgramSpec program, List<DepotRow> all, Instant expiresAt, Integer bandwidthKbps) {
    Instant tokenExpiry = Instant.now().plus(peerTokenTtl);
    if (expiresAt != null && expiresAt.isBefore(tokenExpiry)) {
      tokenExpiry = expiresAt;
    }
    JsonArray sources = new JsonArray();
    for (DepotRow d : all) {
      sources.add(new JsonObject().put("name", d.name()).put("url", d.url()).put("site", d.site())
          .put("subnets", new JsonArray(new ArrayList<>(d.subnets()))).put("origin", d.origin()));
    }
    JsonObject spec = new JsonObject().put("packageId", p.id().toString()).put("package", p.name() + "@" + p.version())
        .put("program", program.name()).put("sha256", p.sha256()).put("size", p.size()).put("fileName", p.fileName())
        .put("sources", sources).put("peerToken", signer.contentToken(p.sha256(), tokenExpiry).encode())
        .mergeIn(program.toJson().copy().put("program", program.name()));
    spec.remove("name");
    if (p.archive() != null) {
      spec.put("archive", p.archive());
    }
    if (bandwidthKbps != null) {
      spec.put("bandwidthKbps", bandwidthKbps);
    }
    return spec;
  }
}
