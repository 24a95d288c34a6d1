package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcast.fleetctl.CliException;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.output.Csv;
import io.fleetcast.fleetctl.output.Json;
import io.fleetcast.fleetctl.output.Table;
import io.fleetcast.fleetctl.output.Times;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fleetctl rollout results ID}: every stored result, following the {@code next} cursor.
 * JSON and CSV are written as pages arrive, so a rollout with a million results does not have
 * to fit in memory; the table (for humans) is printed at the end.
 */
@Command(name = "results", mixinStandardHelpOptions = true,
    description = "List a rollout's results: a table, or all of them as --json (an array) or --csv.")
final class RolloutResultsCommand extends ApiCommand {
  static final List<String> CSV_COLUMNS = List.of("agentId", "hostname", "step", "taskId", "status", "exitCode",
      "error", "startedAt", "finishedAt", "output");

  @Parameters(paramLabel = "ROLLOUT_ID")
  String id;

  @Option(names = "--status", paramLabel = "STATUS",
      description = "Only this status: succeeded, failed, timedOut, declined, cancelled, rejected")
  String status;

  @Option(names = "--csv", description = "Print CSV (RFC 4180) with a header line")
  boolean csv;

  @Option(names = "--page-size", defaultValue = "1000", description = "Results per request (1-1000; default ${DEFAULT-VALUE})")
  int pageSize;

  RolloutResultsCommand(Context ctx) {
    super(ctx);
  }

  @Override
  protected int run(ApiClient api) {
    if (json && csv) {
      throw CliException.usage("choose one of --json and --csv");
    }
    if (csv) {
      Csv.line(out(), CSV_COLUMNS);
      each(api, r -> Csv.line(out(), CSV_COLUMNS.stream().map(c -> r.path(c).isNull() || r.path(c).isMissingNode()
          ? null : r.path(c).asText()).toList()));
    } else if (json) {
      out().println("[");
      boolean[] first = {true};
      each(api, r -> {
        out().print(first[0] ? "  " : ",\n  ");
        out().print(Json.compact(r));
        first[0] = false;
      });
      out().println(first[0] ? "]" : "\n]");
    } else {
      Table t = new Table("AGENT", "HOST", "STEP", "STATUS", "EXIT", "FINISHED", "OUTPUT");
      List<JsonNode> rows = new ArrayList<>();
      each(api, rows::add);
      rows.forEach(r -> t.row(Json.text(r, "agentId"), Json.text(r, "hostname"), Json.text(r, "step"),
          Json.text(r, "status"), Json.text(r, "exitCode"), Times.brief(Json.text(r, "finishedAt")),
          r.hasNonNull("error") ? Json.text(r, "error") : Json.text(r, "output")));
      t.print(out());
    }
    out().flush();
    return 0;
  }

  private void each(ApiClient api, Consumer<JsonNode> sink) {
    String after = null;
    do {
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("status", status);
      q.put("limit", pageSize);
      q.put("after", after);
      JsonNode page = api.get(RolloutCommand.path(id) + "/results", q);
      page.path("items").forEach(sink);
      after = page.hasNonNull("next") ? page.get("next").asText() : null;
    } while (after != null);
  }
}
