package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.output.Json;
import io.fleetcast.fleetctl.output.Table;
import io.fleetcast.fleetctl.output.Times;
import io.fleetcast.fleetctl.rollout.TimeArg;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fleetctl schedule ls|create|rm}: recurring rollouts (the nightly maintenance run). */
@Command(name = "schedule", aliases = "schedules", mixinStandardHelpOptions = true,
    description = "Manage recurring schedules: each firing creates one rollout.",
    subcommands = {ScheduleCommand.Ls.class, ScheduleCommand.Create.class, ScheduleCommand.Rm.class})
public final class ScheduleCommand {
  private static final String PATH = "/api/v1/schedules";

  @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List schedules with their next firing.")
  static final class Ls extends ApiCommand {
    Ls(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      JsonNode page = api.get(PATH);
      if (json) {
        printJson(page);
        return 0;
      }
      Table t = new Table("ID", "NAME", "CRON", "TIME ZONE", "NEXT", "LAST ROLLOUT");
      page.path("items").forEach(s -> t.row(Json.text(s, "id"), Json.text(s, "name"), Json.text(s, "cron"),
          Json.text(s, "timeZone"), Times.brief(Json.text(s, "nextFireAt")), Json.text(s, "lastRolloutId")));
      t.print(out());
      out().flush();
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Create a schedule. E.g. every night at 02:00 Berlin time:",
          "  fleetctl schedule create --name nightly --cron '0 2 * * *' --time-zone Europe/Berlin "
              + "--exec 'apt-get -y upgrade' --tag branch-office --expires-after 4h",
          "The rollout is given as for 'rollout create' (flags, -f FILE, or both), without start or expiry times:",
          "each firing starts at once and expires --expires-after later."})
  static final class Create extends ApiCommand {
    @Option(names = "--name", required = true, description = "Name of the schedule (and of the rollouts it creates)")
    String name;

    @Option(names = "--cron", required = true, paramLabel = "EXPR",
        description = "Five fields (Unix, e.g. '0 2 * * *') or six/seven (Quartz, with seconds)")
    String cron;

    @Option(names = "--time-zone", paramLabel = "ZONE", description = "Zone the cron is read in, e.g. Europe/Berlin (default UTC)")
    String timeZone;

    @Option(names = "--expires-after", paramLabel = "DURATION",
        description = "Each firing's rollout expires this long after it starts, e.g. 4h (default 24h)")
    String expiresAfter;

    @Mixin
    RolloutBodyOptions what = new RolloutBodyOptions();

    Create(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      JsonNode s = api.post(PATH, body());
      if (json) {
        printJson(s);
        return 0;
      }
      out().println("created schedule " + Json.text(s, "id") + " (" + Json.text(s, "name") + "), next firing "
          + Times.brief(Json.text(s, "nextFireAt")));
      out().flush();
      return 0;
    }

    ObjectNode body() {
      ObjectNode body = Json.object().put("name", name).put("cron", cron);
      if (timeZone != null) {
        body.put("timeZone", timeZone);
      }
      if (expiresAfter != null) {
        long minutes = TimeArg.requireDuration("--expires-after", expiresAfter).toMinutes();
        body.put("expiresAfterMinutes", minutes);
      }
      body.set("rollout", what.body(name, null, null, Instant.now()));
      return body;
    }
  }

  @Command(name = "rm", aliases = "delete", mixinStandardHelpOptions = true,
      description = "Delete a schedule; rollouts it already created are not touched.")
  static final class Rm extends ApiCommand {
    @Parameters(paramLabel = "SCHEDULE_ID")
    String id;

    Rm(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      api.delete(PATH + "/" + ApiClient.segment(id));
      if (json) {
        printJson(Json.object().put("id", id).put("deleted", true));
      } else {
        out().println("schedule " + id + " deleted");
      }
      out().flush();
      return 0;
    }
  }
}
