package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.output.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;

/**
 * A listing command over a cursor-paged endpoint: {@code --after}/{@code --all}, then the page as
 * JSON, or as a table followed by the hint that names the next page. Subclasses say where, with which
 * filters, and how a row looks.
 */
abstract class ListCommand extends ApiCommand {
  @Mixin
  PageOptions paging = new PageOptions();

  protected ListCommand(Context ctx) {
    super(ctx);
  }

  /** The list endpoint. */
  protected abstract String path();

  /** Puts the filters and the page size (null values are left out of the request). */
  protected abstract void query(Map<String, Object> q);

  /** The table of a page's items. */
  protected abstract Table table(JsonNode items);

  /** How the user runs this command again, for the next-page hint (e.g. {@code agents ls}). */
  protected abstract String commandLine();

  @Override
  protected final int run(ApiClient api) {
    Map<String, Object> q = new LinkedHashMap<>();
    query(q);
    JsonNode page = Pages.collect(api, path(), q, paging.after, paging.all);
    if (json) {
      printJson(page);
      return 0;
    }
    table(page.path("items")).print(out());
    Pages.printNextHint(out(), page, commandLine());
    return 0;
  }
}
