package io.fleetcast.agent.content;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** A place content can come from: a peer agent of this subnet, a depot, or the gateway's origin store. */
public record Source(String name, String url, String site, List<String> subnets, Kind kind) {

  public enum Kind {
    PEER, DEPOT, ORIGIN;

    public String tally() {
      return switch (this) {
        case PEER -> "peer";
        case DEPOT -> "depot";
        case ORIGIN -> "origin";
      };
    }
  }

  public Source {
    subnets = List.copyOf(subnets == null ? List.of() : subnets);
  }

  /** The blob's URL at this source. */
  public String contentUrl(String sha256) {
    return (url.endsWith("/") ? url : url + "/") + "content/" + sha256;
  }

  /** The depots of an install task's signed {@code sources}. */
  public static List<Source> fromSpec(JsonArray sources) {
    List<Source> out = new ArrayList<>();
    if (sources == null) {
      return out;
    }
    for (Object o : sources) {
      if (o instanceof JsonObject j && j.getString("url") != null
          && (j.getString("url").startsWith("http://") || j.getString("url").startsWith("https://"))) {
        List<String> subnets = new ArrayList<>();
        JsonArray s = j.getJsonArray("subnets");
        if (s != null) {
          s.forEach(x -> subnets.add(String.valueOf(x)));
        }
        out.add(new Source(j.getString("name", j.getString("url")), j.getString("url"), j.getString("site"), subnets,
            Boolean.TRUE.equals(j.getBoolean("origin")) ? Kind.ORIGIN : Kind.DEPOT));
      }
    }
    return out;
  }
}
