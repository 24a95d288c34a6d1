package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.output.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A command that talks to the gateway: connection options, {@code --json}, and the output stream. */
abstract class ApiCommand implements Callable<Integer> {
  @Mixin
  ConnectionOptions connection;

  @Option(names = "--json", description = "Print JSON (for scripts) instead of a table")
  boolean json;

  protected final Context ctx;

  protected ApiCommand(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public final Integer call() {
    if (handledOffline()) {
      return 0;
    }
    return run(connection.client(ctx));
  }

  /** A command that can answer without the gateway (e.g. a dry run) does so here and says true. */
  protected boolean handledOffline() {
    return false;
  }

  /** Does the work; yields the exit code. Failures are thrown ({@code ApiException}, {@code CliException}). */
  protected abstract int run(ApiClient api);

  protected PrintWriter out() {
    return ctx.out();
  }

  protected void printJson(JsonNode node) {
    ctx.out().println(Json.pretty(node));
    ctx.out().flush();
  }
}
