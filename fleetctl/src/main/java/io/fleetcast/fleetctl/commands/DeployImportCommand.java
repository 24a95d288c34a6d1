package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetcast.fleetctl.CliException;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.output.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fleetctl deploy import}: creates a deployment from a CSV file ({@code BIOS_NAME,IP_ADDRESS}),
 * an LDAP directory or host names; prints each refused CSV line with its number. With
 * {@code --user ...} the job starts at once, else {@code deploy start} schedules it.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Discover hosts (CSV, LDAP or names) into a new deployment; with --user it starts at once.")
final class DeployImportCommand extends ApiCommand {
  @Option(names = "--name", required = true, description = "Name of the deployment")
  String name;

  @Option(names = "--csv", paramLabel = "FILE", description = "CSV of BIOS_NAME,IP_ADDRESS (header optional)")
  Path csv;

  @Option(names = "--host", paramLabel = "NAME[=IP]", description = "A host (repeatable)")
  List<String> hosts;

  @Option(names = "--ldap-url", paramLabel = "URL", description = "ldap:// or ldaps:// URL of the directory")
  String ldapUrl;

  @Option(names = "--base-dn", paramLabel = "DN", description = "Where to search")
  String baseDn;

  @Option(names = "--flavor", defaultValue = "ad", description = "ad (computer objects) or openldap (device objects)")
  String flavor;

  @Option(names = "--filter", paramLabel = "FILTER", description = "Extra LDAP filter, e.g. (operatingSystem=Windows*)")
  String filter;

  @Option(names = "--name-attribute", paramLabel = "ATTR", description = "Attribute holding the host name")
  String nameAttribute;

  @Option(names = "--bind-dn", paramLabel = "DN", description = "Bind DN")
  String bindDn;

  @Option(names = "--bind-password-env", paramLabel = "VAR", description = "Environment variable holding the bind password")
  String bindPasswordEnv;

  @Option(names = "--tag", paramLabel = "TAG", description = "Tag the installed agents get (repeatable)")
  List<String> tags;

  @Mixin
  DeployCredentials credentials = new DeployCredentials();

  DeployImportCommand(Context ctx) {
    super(ctx);
  }

  @Override
  protected int run(ApiClient api) {
    ObjectNode body = credentials.given() ? credentials.body(ctx) : Json.object();
    body.put("name", name);
    int sources = (csv != null ? 1 : 0) + (hosts != null ? 1 : 0) + (ldapUrl != null ? 1 : 0);
    if (sources != 1) {
      throw CliException.usage("give exactly one of --csv FILE, --host NAME[=IP]... or --ldap-url URL");
    }
    if (csv != null) {
      try {
        body.put("csv", Files.readString(csv));
      } catch (IOException e) {
        throw CliException.usage("cannot read " + csv + ": " + e.getMessage());
      }
    } else if (hosts != null) {
      ArrayNode arr = body.putArray("hosts");
      for (String h : hosts) {
        int eq = h.indexOf('=');
        ObjectNode o = arr.addObject().put("name", eq < 0 ? h : h.substring(0, eq));
        if (eq >= 0) {
          o.put("ip", h.substring(eq + 1));
        }
      }
    } else {
      ObjectNode l = body.putObject("ldap").put("url", ldapUrl).put("baseDn", baseDn).put("flavor", flavor);
      putIf(l, "filter", filter);
      putIf(l, "nameAttribute", nameAttribute);
      putIf(l, "bindDn", bindDn);
      putIf(l, "bindPassword", bindPasswordEnv == null ? null : ctx.env(bindPasswordEnv));
    }
    if (tags != null) {
      tags.forEach(body.putArray("tags")::add);
    }
    JsonNode answer = api.post("/api/v1/deployments", body);
    if (json) {
      printJson(answer);
      return 0;
    }
    Fields f = new Fields(out());
    f.line("deployment", Json.text(answer, "id"));
    f.line("hosts", Json.text(answer, "hosts"));
    f.line("with agent", Json.text(answer, "withAgent"));
    f.line("scheduled", Json.text(answer, "scheduled"));
    for (JsonNode e : answer.path("lineErrors")) {
      out().println("  line " + e.path("line").asInt() + ": " + e.path("message").asText());
    }
    out().flush();
    return 0;
  }

  private static void putIf(ObjectNode o, String k, String v) {
    if (v != null) {
      o.put(k, v);
    }
  }
}
