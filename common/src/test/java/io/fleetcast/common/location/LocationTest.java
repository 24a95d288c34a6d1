package io.fleetcast.common.location;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code nodeId|sessionId} form of a location as stored in the shared map. */
@Timeout(10)
class LocationTest {

  /** A location encodes as nodeId|sessionId and decodes back to an equal one. */
  @Test
  void roundTrips() {
    // GIVEN a location
    Location l = new Location("node-a", "5b6c1a0e-8a0c-4b53-9d0e-3f3d2b6a7c11");

    // WHEN it is encoded and decoded
    String text = l.encode();

    // THEN the text has the documented form and decodes to an equal location
    assertThat(text).isEqualTo("node-a|5b6c1a0e-8a0c-4b53-9d0e-3f3d2b6a7c11");
    assertThat(Location.decode(text)).isEqualTo(l);
  }

  /** Only the first separator splits, and text without one is a node with an empty session. */
  @Test
  void decodesOddInput() {
    // GIVEN texts with no separator, a separator inside the session part, and empty parts
    // WHEN they are decoded
    // THEN the first separator decides
    assertThat(Location.decode("node-a")).isEqualTo(new Location("node-a", ""));
    assertThat(Location.decode("node-a|s|x")).isEqualTo(new Location("node-a", "s|x"));
    assertThat(Location.decode("|s")).isEqualTo(new Location("", "s"));
    assertThat(Location.decode("n|")).isEqualTo(new Location("n", ""));
  }

  /** Two connections of the same node differ, so a conditional removal can tell them apart. */
  @Test
  void sessionsOfOneNodeDiffer() {
    // GIVEN two sessions on one node
    // WHEN they are compared
    // THEN they are not equal, in either form
    assertThat(new Location("n", "s1")).isNotEqualTo(new Location("n", "s2"));
    assertThat(new Location("n", "s1").encode()).isNotEqualTo(new Location("n", "s2").encode());
  }
}
