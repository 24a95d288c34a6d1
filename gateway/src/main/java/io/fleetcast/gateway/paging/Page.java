package io.fleetcast.gateway.paging;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * One page of a keyset-paged list, as every list of the API answers it: {@code {"items": [...],
 * "next": cursor-or-null}}. The query asks for {@code limit + 1} rows in sort order; the extra row
 * only says that there is a next page, whose cursor is the key of the last item shown.
 */
public final class Page {
  private Page() {}

  /** The row limit to put in the query for a page of {@code limit} items. */
  public static int fetchSize(int limit) {
    return limit + 1;
  }

  /** The page of the first {@code limit} rows, {@code next} the opaque cursor of the last one when more follow. */
  public static <R> JsonObject of(Iterable<R> rows, int limit, Function<R, JsonObject> toJson, Function<R, String> keyOf) {
    JsonArray items = new JsonArray();
    String lastKey = null;
    boolean more = false;
    for (R r : rows) {
      if (items.size() == limit) {
        more = true;
        break;
      }
      items.add(toJson.apply(r));
      lastKey = keyOf.apply(r);
    }
    return new JsonObject().put("items", items).put("next", more ? Cursor.encode(lastKey) : null);
  }

  /**
   * A page whose {@code next} is the plain number in {@code field} of the last item when the page is
   * full (the audit log's published contract: {@code after} is a sequence number, not an opaque cursor).
   */
  public static JsonObject numbered(JsonArray items, int limit, String field) {
    return new JsonObject().put("items", items)
        .put("next", items.size() == limit ? items.getJsonObject(items.size() - 1).getLong(field) : null);
  }
}
