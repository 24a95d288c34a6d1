package io.fleetcast.node.depot;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.node.depot.PeerSelection.Peer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerSelectionTest {
  static final Instant T = Instant.parse("2026-12-01T12:00:00Z");
  final PeerSelection sel = new PeerSelection(2, Duration.ofMinutes(10));

  static Peer p(String id, Instant at) {
    return new Peer(id, "http://127.0.0.1:1/" + id, at);
  }

  /** At most K peers per subnet: a third is not listed while two are live. */
  @Test
  void atMostKPerSubnet() {
    List<Peer> l = sel.admit(List.of(), p("a", T), T);
    l = sel.admit(l, p("b", T), T);
    l = sel.admit(l, p("c", T), T);
    assertThat(l).extracting(Peer::agentId).containsExactly("a", "b");
  }

  /** A re-announcement refreshes the entry instead of duplicating it. */
  @Test
  void reannounceRefreshes() {
    List<Peer> l = sel.admit(List.of(p("a", T)), p("a", T.plusSeconds(60)), T.plusSeconds(60));
    assertThat(l).containsExactly(p("a", T.plusSeconds(60)));
  }

  /** Stale entries expire and make room; nobody is offered itself. */
  @Test
  void staleEntriesExpireAndSelfIsNotOffered() {
    List<Peer> l = List.of(p("a", T), p("b", T.plusSeconds(500)));
    Instant later = T.plusSeconds(700);
    assertThat(sel.admit(l, p("c", later), later)).extracting(Peer::agentId).containsExactly("b", "c");
    assertThat(sel.offer(l, "b", T.plusSeconds(550))).extracting(Peer::agentId).containsExactly("a");
    assertThat(sel.without(l, "a")).extracting(Peer::agentId).containsExactly("b");
  }

  /** K = 0 turns the peer cache off. */
  @Test
  void zeroKListsNobody() {
    assertThat(new PeerSelection(0, Duration.ofMinutes(1)).admit(List.of(), p("a", T), T)).isEmpty();
  }
}
