package io.fleetcast.gateway.deploy;

import io.fleetcast.gateway.error.BodyReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The bodies of {@code POST /api/v1/deployments} and {@code .../{id}/start|retry}, validated with
 * per-field errors. A job's hosts come from exactly one of {@code csv} (text), {@code ldap}
 * (a query) or {@code hosts} (a list of {@code {name, ip}}); {@code credentials} (and optionally
 * {@code plan}) start it at once, else its hosts stay {@code discovered} until {@code start}.
 */
public final class DeploymentRequest {
  public static final int MAX_HOSTS = 100_000;
  public static final int MAX_CSV_CHARS = 8 * 1024 * 1024;

  /** Where the hosts come from. */
  public sealed interface Source permits Csv, Ldap, HostList {
    String wire();
  }

  public record Csv(String text) implements Source {
    public String wire() {
      return "csv";
    }
  }

  public record Ldap(LdapQuery query) implements Source {
    public String wire() {
      return "ldap";
    }
  }

  public record HostList(List<DiscoveredHost> hosts) implements Source {
    public String wire() {
      return "list";
    }
  }

  /** What starting (or retrying) a job needs: credentials and the plan overrides. */
  public record Start(SshCredentials credentials, InstallPlan plan) {}

  public record Create(String name, Source source, List<String> tags, Start start) {}

  private DeploymentRequest() {}

  public static Create create(JsonObject body, DeploySettings settings) {
    BodyReader b = BodyReader.of(body);
    b.onlyKnown(Set.of("name", "csv", "ldap", "hosts", "tags", "credentials", "plan"));
    String name = b.string("name", true, 200);
    List<String> tags = b.strings("tags", 32, 64);
    int given = (b.has("csv") ? 1 : 0) + (b.has("ldap") ? 1 : 0) + (b.has("hosts") ? 1 : 0);
    Source source = null;
    if (given != 1) {
      b.error("hosts", "give exactly one of csv, ldap or hosts");
    } else if (b.has("csv")) {
      String csv = b.string("csv", true, MAX_CSV_CHARS);
      source = csv == null ? null : new Csv(csv);
    } else if (b.has("ldap")) {
      JsonObject l = b.object("ldap", true);
      source = l == null ? null : new Ldap(ldap(b.nested("ldap", l), l));
    } else {
      source = hostList(b);
    }
    Start start = b.has("credentials") ? start(b, body, settings) : null;
    if (start == null && b.has("plan")) {
      b.error("plan", "a plan needs credentials");
    }
    b.throwIfInvalid();
    return new Create(name, source, tags, start);
  }

  /** The body of start: {@code {credentials, plan}}. */
  public static Start start(JsonObject body, DeploySettings settings) {
    BodyReader b = BodyReader.of(body);
    b.onlyKnown(Set.of("credentials", "plan"));
    Start s = start(b, body, settings);
    b.throwIfInvalid();
    return s;
  }

  /** The body of retry: like start, or empty (null) to reuse the job's credentials and plan. */
  public static Start retry(JsonObject body, DeploySettings settings) {
    if (body == null || !body.containsKey("credentials")) {
      BodyReader b = BodyReader.of(body);
      b.onlyKnown(Set.of());
      b.throwIfInvalid();
      return null;
    }
    return start(body, settings);
  }

  private static Start start(BodyReader b, JsonObject body, DeploySettings settings) {
    JsonObject c = b.object("credentials", true);
    SshCredentials creds = null;
    if (c != null) {
      BodyReader cr = b.nested("credentials", c);
      cr.onlyKnown(Set.of("user", "password", "privateKey", "passphrase", "port"));
      String user = cr.string("user", true, 256);
      String password = cr.string("password", false, 1024);
      String key = cr.string("privateKey", false, 64 * 1024);
      String pass = cr.string("passphrase", false, 1024);
      Integer port = cr.integer("port", false, 1, 65535);
      if (password == null && key == null) {
        cr.error("password", "give a password or a privateKey");
      }
      creds = new SshCredentials(user, password, key, pass, port == null ? 22 : port);
    }
    JsonObject p = body.getValue("plan") instanceof JsonObject o ? o : new JsonObject();
    if (b.has("plan") && !(body.getValue("plan") instanceof JsonObject)) {
      b.error("plan", "must be an object");
    }
    return new Start(creds, plan(b.nested("plan", p), p, settings));
  }

  private static InstallPlan plan(BodyReader b, JsonObject p, DeploySettings settings) {
    b.onlyKnown(Set.of("os", "installDir", "javaPath", "serviceCommand", "agentArgs", "agentConnectTimeoutSeconds"));
    InstallPlan d = settings.defaultPlan();
    String os = b.string("os", false, 16);
    InstallPlan.TargetOs target = InstallPlan.TargetOs.LINUX;
    if (os != null) {
      try {
        target = InstallPlan.TargetOs.valueOf(os.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        b.error("os", "must be linux or windows");
      }
    }
    String dir = b.string("installDir", false, 1024);
    String java = b.string("javaPath", false, 1024);
    String service = b.string("serviceCommand", false, 8192);
    List<String> args = b.strings("agentArgs", 64, 1024);
    Integer wait = b.integer("agentConnectTimeoutSeconds", false, 1, 24 * 3600);
    InstallPlan.Timeouts t = d.timeouts();
    if (wait != null) {
      t = new InstallPlan.Timeouts(t.connect(), t.command(), t.copy(), Duration.ofSeconds(wait));
    }
    return new InstallPlan(target, dir != null ? dir : target == InstallPlan.TargetOs.WINDOWS
        ? "C:\\Program Files\\Fleetcast Agent" : d.installDir(), java, service, d.gatewayUrl(), args, t);
  }

  private static LdapQuery ldap(BodyReader b, JsonObject l) {
    b.onlyKnown(Set.of("url", "baseDn", "flavor", "filter", "nameAttribute", "ipAttribute", "bindDn", "bindPassword",
        "pageSize", "maxHosts"));
    String url = b.string("url", true, 1024);
    if (url != null && !(url.startsWith("ldap://") || url.startsWith("ldaps://"))) {
      b.error("url", "must be an ldap:// or ldaps:// URL");
    }
    String base = b.string("baseDn", true, 1024);
    String flavorText = b.string("flavor", false, 16);
    LdapQuery.Flavor flavor = LdapQuery.Flavor.AD;
    if (flavorText != null) {
      try {
        flavor = LdapQuery.Flavor.valueOf(flavorText.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        b.error("flavor", "must be ad or openldap");
      }
    }
    String filter = b.string("filter", false, 4096);
    String nameAttr = b.string("nameAttribute", false, 128);
    nameAttr = nameAttr != null ? nameAttr : flavor == LdapQuery.Flavor.AD ? "dNSHostName" : "cn";
    if (filter != null) {
      try {
        LdapFilters.build(flavor, filter, nameAttr);
      } catch (IllegalArgumentException e) {
        b.error("filter", e.getMessage());
      }
    }
    Integer page = b.integer("pageSize", false, 1, 1000);
    Integer max = b.integer("maxHosts", false, 1, MAX_HOSTS);
    return new LdapQuery(url, base, flavor, filter, nameAttr, b.string("ipAttribute", false, 128),
        b.string("bindDn", false, 1024), b.string("bindPassword", false, 1024), page == null ? 500 : page,
        max == null ? MAX_HOSTS : max);
  }

  private static HostList hostList(BodyReader b) {
    JsonArray a = b.array("hosts", true, MAX_HOSTS);
    List<DiscoveredHost> out = new ArrayList<>();
    if (a == null) {
      return null;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!(a.getValue(i) instanceof JsonObject h)) {
        b.error("hosts[" + i + "]", "must be an object {name, ip}");
        continue;
      }
      String name = h.getValue("name") instanceof String s ? s.trim() : "";
      String ip = h.getValue("ip") instanceof String s ? s.trim() : "";
      String problem = CsvHosts.check(name, ip);
      if (problem != null) {
        b.error("hosts[" + i + "]", problem);
      } else {
        out.add(new DiscoveredHost(name, ip, "list"));
      }
    }
    return new HostList(out);
  }
}
