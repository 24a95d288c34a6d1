package io.fleetcast.common.location;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.AbstractMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The binary Hazelcast form of the location registry round-trips every id and stays small. */
class LocationCodecTest {

  /** A canonical UUID session id takes 16 bytes, and the location comes back unchanged. */
  @Test
  void uuidSessionRoundTripsInSeventeenBytesPlusTheNode() {
    Location l = new Location("node-0", UUID.randomUUID().toString());
    byte[] v = LocationCodec.encode(l);
    assertThat(v).hasSize(1 + 16 + "node-0".length());
    assertThat(LocationCodec.decode(v)).isEqualTo(l);
    assertThat(LocationCodec.nodeId(v)).isEqualTo("node-0");
  }

  /** Session ids that are not canonical UUID text (upper case, empty, other text) are kept as text. */
  @Test
  void otherSessionIdsRoundTripAsText() {
    for (String session : new String[] {"", "s-1", UUID.randomUUID().toString().toUpperCase(), "ünïcode"}) {
      Location l = new Location("nödé-1", session);
      byte[] v = LocationCodec.encode(l);
      assertThat(LocationCodec.decode(v)).isEqualTo(l);
      assertThat(LocationCodec.nodeId(v)).isEqualTo("nödé-1");
    }
  }

  /** Equal locations give equal bytes: the registry's conditional removal compares them. */
  @Test
  void equalLocationsEncodeEqually() {
    String session = UUID.randomUUID().toString();
    assertThat(LocationCodec.encode(new Location("n", session))).isEqualTo(LocationCodec.encode(new Location("n", session)));
    assertThat(LocationCodec.encode(new Location("n", session))).isNotEqualTo(
        LocationCodec.encode(new Location("n", UUID.randomUUID().toString())));
  }

  /** Canonical agent ids become UUID keys, others stay text, and both give the id back. */
  @Test
  void keysRoundTrip() {
    String canonical = UUID.randomUUID().toString();
    assertThat(LocationCodec.key(canonical)).isInstanceOf(UUID.class);
    assertThat(LocationCodec.agentId(LocationCodec.key(canonical))).isEqualTo(canonical);
    for (String other : new String[] {"agent-1", canonical.toUpperCase(), "1-2-3-4-5"}) {
      assertThat(LocationCodec.key(other)).isEqualTo(other);
      assertThat(LocationCodec.agentId(LocationCodec.key(other))).isEqualTo(other);
    }
  }

  /** The purge predicate matches one node exactly, not a node whose id merely starts the same. */
  @Test
  void onNodeMatchesExactly() {
    LocationCodec.OnNode onNode1 = new LocationCodec.OnNode("node-1");
    assertThat(onNode1.apply(entry(new Location("node-1", UUID.randomUUID().toString())))).isTrue();
    assertThat(onNode1.apply(entry(new Location("node-1", "text-session")))).isTrue();
    assertThat(onNode1.apply(entry(new Location("node-10", UUID.randomUUID().toString())))).isFalse();
    assertThat(onNode1.apply(entry(new Location("node-", "1")))).isFalse();
  }

  /** A value of an unknown form is refused with a clear error. */
  @Test
  void unknownFormIsRefused() {
    assertThatThrownBy(() -> LocationCodec.decode(new byte[] {9, 1, 2})).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown location form 9");
  }

  private static AbstractMap.SimpleEntry<Object, byte[]> entry(Location l) {
    return new AbstractMap.SimpleEntry<>(UUID.randomUUID(), LocationCodec.encode(l));
  }
}
