package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.output.Json;
import io.fleetcast.fleetctl.output.Table;
import io.fleetcast.fleetctl.output.Times;
import io.fleetcast.fleetctl.rollout.TimeArg;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fleetctl tokens create|ls|rm|enrollment|enrollment-ls|enrollment-rm}: API and enrollment tokens (admin). */
@Command(name = "tokens", mixinStandardHelpOptions = true, description = "Manage API tokens and enrollment tokens (admin).",
    subcommands = {TokensCommand.Create.class, TokensCommand.Ls.class, TokensCommand.Rm.class,
        TokensCommand.Enrollment.class, TokensCommand.EnrollmentLs.class, TokensCommand.EnrollmentRm.class})
public final class TokensCommand {

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create an API token; it is shown once, store it now.")
  static final class Create extends ApiCommand {
    @Option(names = "--name", required = true, description = "Who or what uses it, e.g. ci-pipeline")
    String name;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, operator or admin")
    String role;

    Create(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      JsonNode t = api.post("/api/v1/api-tokens", Json.object().put("name", name).put("role", role));
      if (json) {
        printJson(t);
      } else {
        out().println("created " + Json.text(t, "role") + " token " + Json.text(t, "id") + " (shown once):");
        out().println(Json.text(t, "token"));
      }
      out().flush();
      return 0;
    }
  }

  @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List API tokens (never their secrets).")
  static final class Ls extends ApiCommand {
    Ls(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      JsonNode page = api.get("/api/v1/api-tokens");
      if (json) {
        printJson(page);
        return 0;
      }
      Table t = new Table("ID", "NAME", "ROLE", "CREATED", "BY", "REVOKED");
      page.path("items").forEach(x -> t.row(Json.text(x, "id"), Json.text(x, "name"), Json.text(x, "role"),
          Times.brief(Json.text(x, "createdAt")), Json.text(x, "createdBy"), Times.brief(Json.text(x, "revokedAt"))));
      t.print(out());
      return 0;
    }
  }

  @Command(name = "rm", aliases = "revoke", mixinStandardHelpOptions = true, description = "Revoke an API token.")
  static final class Rm extends ApiCommand {
    @Parameters(paramLabel = "TOKEN_ID")
    String id;

    Rm(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      api.delete("/api/v1/api-tokens/" + ApiClient.segment(id));
      if (json) {
        printJson(Json.object().put("id", id).put("revoked", true));
      } else {
        out().println("token " + id + " revoked");
      }
      out().flush();
      return 0;
    }
  }

  @Command(name = "enrollment", aliases = "enroll", mixinStandardHelpOptions = true,
      description = "Create an enrollment token: agents present it once to get their own credential.")
  static final class Enrollment extends ApiCommand {
    @Option(names = "--max-uses", defaultValue = "1", description = "Agents that may enroll with it (default ${DEFAULT-VALUE})")
    int maxUses;

    @Option(names = "--expires-at", paramLabel = "TIME", description = "RFC 3339 or from now (30m, 2h, 1d); default 24 h")
    String expiresAt;

    @Option(names = "--tag", split = ",", paramLabel = "TAG", description = "Tags given to agents enrolled with it")
    List<String> tags;

    @Option(names = "--allowed-cidr", split = ",", paramLabel = "CIDR", description = "Only enroll from these networks")
    List<String> cidrs;

    Enrollment(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      ObjectNode body = Json.object().put("maxUses", maxUses);
      if (expiresAt != null) {
        body.put("expiresAt", TimeArg.toRfc3339("--expires-at", expiresAt, Instant.now()));
      }
      if (tags != null) {
        tags.forEach(body.putArray("tags")::add);
      }
      if (cidrs != null) {
        cidrs.forEach(body.putArray("allowedCidrs")::add);
      }
      JsonNode t = api.post("/api/v1/enrollment-tokens", body);
      if (json) {
        printJson(t);
      } else {
        out().println("enrollment token for " + Json.text(t, "maxUses") + " agent(s), expires "
            + Times.brief(Json.text(t, "expiresAt")) + ":");
        out().println(Json.text(t, "token"));
      }
      out().flush();
      return 0;
    }
  }

  @Command(name = "enrollment-ls", aliases = "enrollment-list", mixinStandardHelpOptions = true,
      description = "List enrollment tokens, newest first, with their uses (never their secrets).")
  static final class EnrollmentLs extends ListCommand {
    @Option(names = "--limit", defaultValue = "100", description = "Tokens per page (max 1000; default ${DEFAULT-VALUE})")
    int limit;

    EnrollmentLs(Context ctx) {
      super(ctx);
    }

    @Override
    protected String path() {
      return "/api/v1/enrollment-tokens";
    }

    @Override
    protected void query(java.util.Map<String, Object> q) {
      q.put("limit", limit);
    }

    @Override
    protected Table table(JsonNode items) {
      Table t = new Table("ID", "STATE", "USES", "TAGS", "EXPIRES", "CREATED", "BY");
      items.forEach(x -> t.row(Json.text(x, "id"), Json.text(x, "state"),
          Json.text(x, "uses") + "/" + Json.text(x, "maxUses"), Json.text(x, "tags"),
          Times.brief(Json.text(x, "expiresAt")), Times.brief(Json.text(x, "createdAt")), Json.text(x, "createdBy")));
      return t;
    }

    @Override
    protected String commandLine() {
      return "tokens enrollment-ls";
    }
  }

  @Command(name = "enrollment-rm", aliases = "enrollment-revoke", mixinStandardHelpOptions = true,
      description = "Revoke an enrollment token: agents can no longer enroll with it (enrolled agents keep working).")
  static final class EnrollmentRm extends ApiCommand {
    @Parameters(paramLabel = "TOKEN_ID")
    String id;

    EnrollmentRm(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      api.delete("/api/v1/enrollment-tokens/" + ApiClient.segment(id));
      if (json) {
        printJson(Json.object().put("id", id).put("revoked", true));
      } else {
        out().println("enrollment token " + id + " revoked");
      }
      out().flush();
      return 0;
    }
  }
}
