package io.fleetcast.gateway.software;

import io.fleetcast.gateway.error.BodyReader;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** Which depots a package goes to (SMS distribute): all of them, those of some sites, or named ones. */
public record DistributionTarget(Kind kind, List<String> names) {

  public enum Kind { ALL, SITES, DEPOTS }

  public static final DistributionTarget ALL = new DistributionTarget(Kind.ALL, List.of());

  /** {@code {"all": true}} | {@code {"sites": [..]}} | {@code {"depots": [..]}}; exactly one. */
  public static DistributionTarget parse(JsonObject body) {
    BodyReader r = BodyReader.of(body);
    r.onlyKnown(Set.of("all", "sites", "depots"));
    Boolean all = r.bool("all");
    List<String> sites = r.has("sites") ? r.strings("sites", 1000, 128) : null;
    List<String> depots = r.has("depots") ? r.strings("depots", 1000, 128) : null;
    int given = (Boolean.TRUE.equals(all) ? 1 : 0) + (sites != null ? 1 : 0) + (depots != null ? 1 : 0);
    if (given != 1) {
      r.error("all", "give exactly one of all: true, sites: [...], depots: [...]");
    }
    if (sites != null && sites.isEmpty()) {
      r.error("sites", "must name at least one site");
    }
    if (depots != null && depots.isEmpty()) {
      r.error("depots", "must name at least one depot");
    }
    r.throwIfInvalid();
    if (sites != null) {
      return new DistributionTarget(Kind.SITES, sites);
    }
    return depots != null ? new DistributionTarget(Kind.DEPOTS, depots) : ALL;
  }
}
