package io.fleetcast.common.location;

import com.hazelcast.query.Predicate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * How the location registry stores an entry in Hazelcast: the agent id as a {@link UUID} key
 * and the location as a few bytes, instead of two UUID strings. Every member keeps a copy of
 * its share of these entries (primary and backup), so their size is part of what each idle
 * connection costs a node (issue 16: at most 3 KiB). Ids that are not canonical UUID text are
 * kept as text, so any id round-trips exactly.
 *
 * <p>Value layout: one form byte, then the session id (form {@link #UUID_SESSION}: 16 bytes;
 * form {@link #TEXT_SESSION}: a 2-byte length and UTF-8), then the node id in UTF-8 to the end.
 * Equal locations encode to equal bytes, which conditional removal relies on.
 */
public final class LocationCodec {
  static final byte UUID_SESSION = 1;
  static final byte TEXT_SESSION = 2;

  private LocationCodec() {}

  /** The map key of an agent: its UUID when the id is canonical UUID text, else the text. */
  public static Object key(String agentId) {
    UUID u = canonicalUuid(agentId);
    return u != null ? u : agentId;
  }

  /** The agent id a map key stands for. */
  public static String agentId(Object key) {
    return key.toString();
  }

  public static byte[] encode(Location l) {
    byte[] node = l.nodeId().getBytes(StandardCharsets.UTF_8);
    UUID session = canonicalUuid(l.sessionId());
    if (session != null) {
      return ByteBuffer.allocate(1 + 16 + node.length).put(UUID_SESSION).putLong(session.getMostSignificantBits())
          .putLong(session.getLeastSignificantBits()).put(node).array();
    }
    byte[] text = l.sessionId().getBytes(StandardCharsets.UTF_8);
    if (text.length > 0xFFFF) {
      throw new IllegalArgumentException("session id longer than 65535 bytes");
    }
    return ByteBuffer.allocate(1 + 2 + text.length + node.length).put(TEXT_SESSION).putShort((short) text.length)
        .put(text).put(node).array();
  }

  public static Location decode(byte[] v) {
    ByteBuffer b = ByteBuffer.wrap(v);
    byte form = b.get();
    String session;
    if (form == UUID_SESSION) {
      session = new UUID(b.getLong(), b.getLong()).toString();
    } else if (form == TEXT_SESSION) {
      byte[] text = new byte[Short.toUnsignedInt(b.getShort())];
      b.get(text);
      session = new String(text, StandardCharsets.UTF_8);
    } else {
      throw new IllegalArgumentException("unknown location form " + form);
    }
    return new Location(new String(v, b.position(), b.remaining(), StandardCharsets.UTF_8), session);
  }

  /** The node id of an encoded location, read without building the rest. */
  static String nodeId(byte[] v) {
    int start = v.length > 0 && v[0] == UUID_SESSION ? 17 : 3 + ((v[1] & 0xFF) << 8 | (v[2] & 0xFF));
    return new String(v, start, v.length - start, StandardCharsets.UTF_8);
  }

  /** Matches the entries located on one node (evaluated on each member holding a partition). */
  public static final class OnNode implements Predicate<Object, byte[]> {
    private static final long serialVersionUID = 1L;
    private final String nodeId;

    public OnNode(String nodeId) {
      this.nodeId = nodeId;
    }

    @Override
    public boolean apply(Map.Entry<Object, byte[]> entry) {
      byte[] v = entry.getValue();
      return v != null && nodeId.equals(nodeId(v));
    }
  }

  /** The UUID whose canonical text is {@code s}, or null (UUID.fromString alone accepts other spellings). */
  static UUID canonicalUuid(String s) {
    if (s == null || s.length() != 36) {
      return null;
    }
    try {
      UUID u = UUID.fromString(s);
      return u.toString().equals(s) ? u : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
