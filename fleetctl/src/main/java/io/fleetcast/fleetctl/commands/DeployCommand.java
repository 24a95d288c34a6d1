package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.ExitCodes;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.output.Json;
import io.fleetcast.fleetctl.output.Table;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fleetctl deploy ...}: install agents on discovered hosts over SSH and follow each host. */
@Command(name = "deploy", aliases = "deployments", mixinStandardHelpOptions = true,
    description = "Install agent-lite on machines over SSH: import hosts, start, watch, retry failed ones.",
    subcommands = {DeployImportCommand.class, DeployCommand.Start.class, DeployCommand.Watch.class,
        DeployCommand.Retry.class, DeployCommand.Ls.class, DeployCommand.Errors.class})
public final class DeployCommand {
  static final String STATES = "discovered scheduled installing withAgent failed";

  static String path(String id) {
    return "/api/v1/deployments/" + ApiClient.segment(id);
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Schedule the discovered hosts of a deployment.")
  static final class Start extends ApiCommand {
    @Parameters(paramLabel = "DEPLOYMENT_ID")
    String id;

    @Mixin
    DeployCredentials credentials = new DeployCredentials();

    Start(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      JsonNode a = api.post(path(id) + "/start", credentials.body(ctx));
      out().println(json ? Json.pretty(a) : "scheduled " + Json.text(a, "scheduled") + " hosts");
      out().flush();
      return 0;
    }
  }

  @Command(name = "retry", mixinStandardHelpOptions = true,
      description = "Schedule every failed host again (with new credentials when --user is given).")
  static final class Retry extends ApiCommand {
    @Parameters(paramLabel = "DEPLOYMENT_ID")
    String id;

    @Mixin
    DeployCredentials credentials = new DeployCredentials();

    Retry(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      JsonNode a = api.post(path(id) + "/retry", credentials.given() ? credentials.body(ctx) : Json.object());
      out().println(json ? Json.pretty(a) : "scheduled " + Json.text(a, "scheduled") + " failed hosts again");
      out().flush();
      return 0;
    }
  }

  @Command(name = "watch", mixinStandardHelpOptions = true,
      description = "Follow a deployment until no host is scheduled or installing; show each failure's cause and solution. "
          + "Exit 0 when every host has an agent, 5 when some failed.")
  static final class Watch extends ApiCommand {
    @Parameters(paramLabel = "DEPLOYMENT_ID")
    String id;

    @Option(names = "--interval", defaultValue = "2", description = "Seconds between polls (default ${DEFAULT-VALUE})")
    int interval;

    @Option(names = "--timeout", defaultValue = "3600", description = "Give up after this many seconds (default ${DEFAULT-VALUE})")
    int timeout;

    Watch(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      long end = System.nanoTime() + Duration.ofSeconds(timeout).toNanos();
      JsonNode job = api.get(path(id));
      String last = "";
      while (busy(job) && System.nanoTime() < end) {
        String line = counts(job);
        if (!line.equals(last) && !json) {
          out().println(line);
          out().flush();
          last = line;
        }
        sleep(interval);
        job = api.get(path(id));
      }
      if (json) {
        printJson(job);
      } else {
        print(job);
      }
      return job.path("counts").path("failed").asInt() > 0 || busy(job) ? ExitCodes.ROLLOUT_FAILED : ExitCodes.OK;
    }

    private void print(JsonNode job) {
      out().println(counts(job));
      Table t = new Table("HOST", "IP", "SOURCE", "STATE", "STEP", "ATTEMPTS", "ERROR");
      for (JsonNode h : job.path("hosts")) {
        t.row(Json.text(h, "name"), Json.text(h, "ip"), Json.text(h, "source"), Json.text(h, "state"),
            Json.text(h, "step"), Json.text(h, "attempts"), h.path("error").path("type").asText(""));
      }
      t.print(out());
      for (JsonNode h : job.path("hosts")) {
        JsonNode e = h.path("error");
        if ("failed".equals(h.path("state").asText()) && !e.isMissingNode()) {
          out().println();
          out().println(Json.text(h, "name") + ": " + e.path("type").asText() + " - " + e.path("detail").asText());
          out().println("  cause:    " + e.path("cause").asText());
          out().println("  solution: " + e.path("solution").asText());
          if (e.hasNonNull("exitCode")) {
            out().println("  exit code " + e.path("exitCode").asInt() + ", output tail:");
            e.path("outputTail").asText("").lines().forEach(l -> out().println("    " + l));
          }
        }
      }
      out().flush();
    }
  }

  @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List deployments, newest first.")
  static final class Ls extends ApiCommand {
    Ls(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      JsonNode page = api.get("/api/v1/deployments");
      if (json) {
        printJson(page);
        return 0;
      }
      Table t = new Table("ID", "NAME", "STATE", "SOURCE", "HOSTS BY STATE");
      for (JsonNode d : page.path("items")) {
        t.row(Json.text(d, "id"), Json.text(d, "name"), Json.text(d, "state"), Json.text(d, "source"),
            counts(d).replace("hosts: ", ""));
      }
      t.print(out());
      return 0;
    }
  }

  @Command(name = "errors", mixinStandardHelpOptions = true, description = "The error table: each type's cause and solution.")
  static final class Errors extends ApiCommand {
    Errors(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      JsonNode table = api.get("/api/v1/deployments/errors");
      if (json) {
        printJson(table);
        return 0;
      }
      Table t = new Table("TYPE", "CAUSE", "SOLUTION");
      table.path("items").forEach(e -> t.row(Json.text(e, "type"), Json.text(e, "cause"), Json.text(e, "solution")));
      t.print(out());
      return 0;
    }
  }

  static boolean busy(JsonNode job) {
    return job.path("counts").path("scheduled").asInt() + job.path("counts").path("installing").asInt() > 0;
  }

  static String counts(JsonNode job) {
    StringBuilder b = new StringBuilder("hosts:");
    for (String s : STATES.split(" ")) {
      b.append(' ').append(s).append(' ').append(job.path("counts").path(s).asInt());
    }
    return b.toString();
  }

  private static void sleep(int seconds) {
    try {
      Thread.sleep(Math.max(1, seconds) * 1000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
