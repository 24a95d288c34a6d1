package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.output.Json;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Cursor paging of the list endpoints ({@code items} and {@code next}). */
final class Pages {
  private Pages() {}

  /** One page from {@code after}, or with {@code all} every page from there, merged into one {items, next}. */
  static JsonNode collect(ApiClient api, String path, Map<String, Object> query, String after, boolean all) {
    ArrayNode items = Json.array();
    String cursor = after;
    while (true) {
      Map<String, Object> q = new LinkedHashMap<>(query);
      q.put("after", cursor);
      JsonNode page = api.get(path, q);
      items.addAll((ArrayNode) page.path("items").require());
      cursor = page.hasNonNull("next") ? page.get("next").asText() : null;
      if (!all || cursor == null) {
        ObjectNode merged = Json.object();
        merged.set("items", items);
        merged.put("next", cursor);
        return merged;
      }
    }
  }

  static void printNextHint(PrintWriter out, JsonNode page, String command) {
    if (page.hasNonNull("next")) {
      out.println("(more: fleetctl " + command + " --after " + page.get("next").asText() + ", or --all)");
    }
    out.flush();
  }
}
