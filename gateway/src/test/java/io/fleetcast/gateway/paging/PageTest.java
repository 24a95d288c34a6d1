package io.fleetcast.gateway.paging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Keyset pages: items, the next cursor only when more rows follow, and cursors read back as keys. */
@Timeout(10)
class PageTest {

  /** Of limit + 1 fetched rows, limit are shown and next is the cursor of the last one shown. */
  @Test
  void fullPageHasNext() {
    // GIVEN three rows fetched for a page of two
    List<String> rows = List.of("a", "b", "c");

    // WHEN the page is built
    JsonObject page = Page.of(rows, 2, r -> new JsonObject().put("k", r), r -> r);

    // THEN two items are shown and next points after "b"
    assertThat(page.getJsonArray("items")).hasSize(2);
    assertThat(Cursor.decode(page.getString("next"))).isEqualTo("b");
    assertThat(Page.fetchSize(2)).isEqualTo(3);
  }

  /** The last page (no extra row) has no next cursor, an empty one included. */
  @Test
  void lastPageHasNoNext() {
    // GIVEN fewer rows than the limit, and none
    // WHEN the pages are built
    JsonObject some = Page.of(List.of("a"), 2, r -> new JsonObject().put("k", r), r -> r);
    JsonObject none = Page.of(List.<String>of(), 2, r -> new JsonObject().put("k", r), r -> r);

    // THEN neither has a next cursor
    assertThat(some.getValue("next")).isNull();
    assertThat(some.getJsonArray("items")).hasSize(1);
    assertThat(none.getValue("next")).isNull();
    assertThat(none.getJsonArray("items")).isEmpty();
  }

  /** A numbered page's next is the plain number of its last item, and only when the page is full. */
  @Test
  void numberedPage() {
    // GIVEN a full page and a short page of audit-like entries
    JsonArray full = new JsonArray().add(new JsonObject().put("seq", 4L)).add(new JsonObject().put("seq", 7L));

    // WHEN they are paged with a limit of two and three
    // THEN next is the last seq for the full one, null for the short one
    assertThat(Page.numbered(full, 2, "seq").getLong("next")).isEqualTo(7L);
    assertThat(Page.numbered(full.copy(), 3, "seq").getValue("next")).isNull();
  }

  /** Single-column and composite cursors read back as their keys; anything else is not ours. */
  @Test
  void cursorsReadBack() {
    // GIVEN cursors of a UUID key and of a two-column key
    UUID id = UUID.randomUUID();
    String single = Cursor.encode(id.toString());
    String composite = Cursor.encode("2026-01-01T00:00:00Z|" + id);

    // WHEN they are read back
    // THEN the keys come out, and a cursor of the wrong shape gives null
    assertThat(Cursor.uuid(single)).isEqualTo(id);
    assertThat(Cursor.parts(composite, 2)).containsExactly("2026-01-01T00:00:00Z", id.toString());
    assertThat(Cursor.uuid(composite)).isNull();
    assertThat(Cursor.parts(single, 2)).isNull();
    assertThat(Cursor.uuid("not base64!")).isNull();
  }
}
