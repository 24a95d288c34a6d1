package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.output.Json;
import io.fleetcast.fleetctl.output.ProgressBar;
import io.fleetcast.fleetctl.output.Table;
import io.fleetcast.fleetctl.output.Times;
import io.fleetcast.fleetctl.rollout.WatchOutcome;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fleetctl rollout ...}: create, list, show, watch, results, targets, cancel, pause, resume, rerun. */
@Command(name = "rollout", aliases = "rollouts", mixinStandardHelpOptions = true,
    description = "Create and follow rollouts (tasks pushed to many agents).",
    subcommands = {RolloutCreateCommand.class, RolloutCommand.Ls.class, RolloutCommand.Show.class,
        RolloutWatchCommand.class, RolloutResultsCommand.class, RolloutCommand.Targets.class,
        RolloutCommand.Cancel.class, RolloutCommand.Pause.class, RolloutCommand.Resume.class,
        RolloutRerunCommand.class})
public final class RolloutCommand {

  static String path(String id) {
    return "/api/v1/rollouts/" + ApiClient.segment(id);
  }

  @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List rollouts, newest first.")
  static final class Ls extends ListCommand {
    @Option(names = "--state", paramLabel = "STATE",
        description = "Only this state: scheduled, running, paused, halted, completed, cancelled, expired")
    String state;

    @Option(names = "--limit", defaultValue = "50", description = "Rollouts per page (max 500; default ${DEFAULT-VALUE})")
    int limit;

    Ls(Context ctx) {
      super(ctx);
    }

    @Override
    protected String path() {
      return "/api/v1/rollouts";
    }

    @Override
    protected void query(Map<String, Object> q) {
      q.put("state", state);
      q.put("limit", limit);
    }

    @Override
    protected Table table(JsonNode items) {
      Table t = new Table("ID", "NAME", "STATE", "TARGETS", "CREATED", "BY");
      for (JsonNode r : items) {
        t.row(Json.text(r, "id"), Json.text(r, "name"), Json.text(r, "state"), Json.text(r, "targets"),
            Times.brief(Json.text(r, "createdAt")), Json.text(r, "createdBy"));
      }
      return t;
    }

    @Override
    protected String commandLine() {
      return "rollout ls";
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a rollout: state, waves, counts.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "ROLLOUT_ID")
    String id;

    Show(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      JsonNode r = api.get(path(id));
      if (json) {
        printJson(r);
        return 0;
      }
      Fields f = new Fields(out());
      f.line("id", Json.text(r, "id"));
      f.line("name", Json.text(r, "name"));
      String reason = Json.text(r, "reason");
      f.line("state", Json.text(r, "state") + (reason.equals("-") ? "" : " (" + reason + ")"));
      f.line("targets", Json.text(r, "targets"));
      f.line("progress", ProgressBar.render(r));
      if (r.has("waves")) {
        f.line("wave", Json.text(r, "currentWave") + " of " + r.path("waves").size() + " (" + Json.text(r, "waves") + "%)");
      }
      f.line("created", Times.brief(Json.text(r, "createdAt")) + " by " + Json.text(r, "createdBy"));
      f.line("started", Times.brief(Json.text(r, "startedAt")));
      f.line("finished", Times.brief(Json.text(r, "finishedAt")));
      f.line("expires", Times.brief(Json.text(r, "expiresAt")));
      out().flush();
      return 0;
    }
  }

  @Command(name = "targets", mixinStandardHelpOptions = true,
      description = "Every target with its state and reason (why a host did not run the task).")
  static final class Targets extends ApiCommand {
    @Parameters(paramLabel = "ROLLOUT_ID")
    String id;

    @Option(names = "--state", paramLabel = "STATE", description = "Only targets in this state (e.g. expired)")
    String state;

    @Option(names = "--limit", defaultValue = "1000", description = "Targets per request (max 1000)")
    int limit;

    Targets(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("state", state);
      q.put("limit", limit);
      JsonNode all = Pages.collect(api, path(id) + "/targets", q, null, true);
      if (json) {
        printJson(all.path("items"));
        return 0;
      }
      Table t = new Table("AGENT", "STATE", "STEP", "WAVE", "ATTEMPTS", "REASON", "FINISHED");
      for (JsonNode x : all.path("items")) {
        t.row(Json.text(x, "agentId"), Json.text(x, "state"), Json.text(x, "step"), Json.text(x, "wave"),
            Json.text(x, "attempts"), Json.text(x, "reason"), Times.brief(Json.text(x, "finishedAt")));
      }
      t.print(out());
      return 0;
    }
  }

  /** POST {@code /{id}/<action>}: the three operator controls share everything but the verb. */
  abstract static class Control extends ApiCommand {
    @Parameters(paramLabel = "ROLLOUT_ID")
    String id;

    Control(Context ctx) {
      super(ctx);
    }

    abstract String action();

    @Override
    protected int run(ApiClient api) {
      JsonNode r = api.post(path(id) + "/" + action(), null);
      if (json) {
        printJson(r);
      } else {
        out().println("rollout " + id + ": " + (r.has("state") ? r.get("state").asText() : action() + " sent"));
      }
      return 0;
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = "Cancel: nothing more is dispatched; agents are told to stop running tasks.")
  static final class Cancel extends Control {
    Cancel(Context ctx) {
      super(ctx);
    }

    @Override
    String action() {
      return "cancel";
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Pause: no new dispatch until resumed; running tasks finish.")
  static final class Pause extends Control {
    Pause(Context ctx) {
      super(ctx);
    }

    @Override
    String action() {
      return "pause";
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused rollout.")
  static final class Resume extends Control {
    Resume(Context ctx) {
      super(ctx);
    }

    @Override
    String action() {
      return "resume";
    }
  }

  /** The watch loop shared by {@code rollout watch} and {@code rollout create --watch}. */
  static int watch(ApiClient api, String id, Context ctx, boolean json) {
    ProgressBar bar = new ProgressBar(ctx.out(), ctx.interactive());
    JsonNode last = new io.fleetcast.fleetctl.rollout.Watcher(api, e -> {
      if (json) {
        ctx.out().println(Json.compact(Json.object().put("event", e.name()).set("data", parseOrText(e.data()))));
        ctx.out().flush();
      } else {
        JsonNode data = parseOrText(e.data());
        if (data.isObject()) {
          bar.update(data);
        }
      }
    }).watch(id);
    if (!json) {
      bar.finish();
      ctx.out().println(WatchOutcome.summary(last));
      ctx.out().flush();
    }
    return WatchOutcome.exitCode(last);
  }

  private static JsonNode parseOrText(String data) {
    try {
      return Json.parse(data);
    } catch (IllegalArgumentException e) {
      return Json.MAPPER.getNodeFactory().textNode(data);
    }
  }
}
