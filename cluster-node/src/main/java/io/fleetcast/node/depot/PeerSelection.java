package io.fleetcast.node.depot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which agents of a subnet may serve a blob to their neighbours (pure; like the wake relay
 * choice): at most {@code k} per subnet and blob, entries expire unless re-announced, an agent
 * is listed once, and nobody is offered itself.
 */
public final class PeerSelection {

  /** An agent holding verified content, serving it at {@code url}, last announced {@code at}. */
  public record Peer(String agentId, String url, Instant at) {}

  private final int k;
  private final Duration ttl;

  public PeerSelection(int k, Duration ttl) {
    if (k < 0) {
      throw new IllegalArgumentException("k must be >= 0");
    }
    this.k = k;
    this.ttl = ttl;
  }

  public int k() {
    return k;
  }

  /** The list after {@code candidate} announced itself: refreshed if listed, added if there is room, else unchanged. */
  public List<Peer> admit(List<Peer> current, Peer candidate, Instant now) {
    List<Peer> live = live(current, now);
    List<Peer> out = new ArrayList<>(live.size() + 1);
    boolean listed = false;
    for (Peer p : live) {
      if (p.agentId().equals(candidate.agentId())) {
        out.add(candidate);
        listed = true;
      } else {
        out.add(p);
      }
    }
    if (!listed && out.size() < k) {
      out.add(candidate);
    }
    return out;
  }

  /** The peers a requester may use: live ones other than itself, oldest announcement first (most likely complete). */
  public List<Peer> offer(List<Peer> current, String requester, Instant now) {
    return live(current, now).stream().filter(p -> !p.agentId().equals(requester)).toList();
  }

  /** The list without {@code agentId} (a peer reported bad, or leaving). */
  public List<Peer> without(List<Peer> current, String agentId) {
    return current.stream().filter(p -> !p.agentId().equals(agentId)).toList();
  }

  private List<Peer> live(List<Peer> current, Instant now) {
    Instant oldest = now.minus(ttl);
    return current.stream().filter(p -> p.at().isAfter(oldest)).toList();
  }
}
