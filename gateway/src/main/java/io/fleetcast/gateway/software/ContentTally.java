package io.fleetcast.gateway.software;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an install's bytes came from, as the agent reports it in the last line of its result
 * output ({@code fleetcast-content: origin=0 depot=0 peer=20971520 cache=0 source=peer}). Pure.
 */
public record ContentTally(long origin, long depot, long peer, long cache, String source) {
  public static final ContentTally NONE = new ContentTally(0, 0, 0, 0, null);
  private static final Pattern LINE = Pattern.compile(
      "fleetcast-content: origin=(\\d{1,15}) depot=(\\d{1,15}) peer=(\\d{1,15}) cache=(\\d{1,15}) source=([A-Za-z0-9._:-]{1,64})");

  public static ContentTally parse(String output) {
    if (output == null) {
      return NONE;
    }
    int at = output.lastIndexOf("fleetcast-content: ");
    if (at < 0) {
      return NONE;
    }
    Matcher m = LINE.matcher(output.substring(at));
    if (!m.lookingAt()) {
      return NONE;
    }
    return new ContentTally(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
        Long.parseLong(m.group(4)), m.group(5));
  }

  public ContentTally plus(ContentTally o) {
    return new ContentTally(origin + o.origin, depot + o.depot, peer + o.peer, cache + o.cache, null);
  }
}
