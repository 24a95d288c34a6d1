package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.output.Json;
import io.fleetcast.fleetctl.output.Table;
import io.fleetcast.fleetctl.output.Times;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fleetctl package push|ls|rm}: the software catalog (see README, "Software distribution"). */
@Command(name = "package", mixinStandardHelpOptions = true, description = "Upload, list and remove software packages.",
    subcommands = {PackageCommand.Push.class, PackageCommand.Ls.class, PackageCommand.Rm.class})
public final class PackageCommand {

  @Command(name = "push", mixinStandardHelpOptions = true,
      description = "Upload a file or a .zip/.tar.gz package, optionally add a program and distribute it to depots.")
  static final class Push extends ApiCommand {
    @Parameters(paramLabel = "FILE", description = "The installer or archive to upload (streamed).")
    Path file;

    @Option(names = "--name", required = true, description = "Package name, e.g. acme-agent")
    String name;

    @Option(names = "--version", required = true, description = "Package version, e.g. 4.2.1")
    String version;

    @Option(names = "--program", description = "Also add a program of this name")
    String program;

    @Option(names = "--command", description = "The program's command ({file} = the downloaded file)")
    String command;

    @Option(names = "--args", split = ",", description = "The program's arguments, comma separated")
    List<String> args;

    @Option(names = "--reboot-exit-codes", split = ",", description = "Exit codes meaning succeeded, reboot required "
        + "(default 3010,1641)")
    List<Integer> rebootExitCodes;

    @Option(names = "--deliver-only", description = "The program only delivers the file, it runs nothing")
    boolean deliverOnly;

    @Option(names = "--distribute", description = "Send it to every depot now (else on first use)")
    boolean distribute;

    Push(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      if (!Files.isRegularFile(file)) {
        throw io.fleetcast.fleetctl.CliException.usage(file + " is not a readable file");
      }
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("name", name);
      q.put("version", version);
      q.put("file", file.getFileName().toString());
      JsonNode pkg = api.upload("/api/v1/packages", q, file);
      String ref = ApiClient.segment(name + "@" + version);
      if (program != null) {
        var body = Json.object().put("name", program);
        if (deliverOnly) {
          body.put("deliverOnly", true);
        } else {
          body.put("command", command == null ? "{file}" : command);
          if (args != null) {
            args.forEach(body.putArray("args")::add);
          }
        }
        if (rebootExitCodes != null) {
          rebootExitCodes.forEach(body.putArray("rebootExitCodes")::add);
        }
        api.post("/api/v1/packages/" + ref + "/programs", body);
      }
      if (distribute) {
        api.post("/api/v1/packages/" + ref + "/distribute", Json.object().put("all", true));
      }
      if (json) {
        printJson(api.get("/api/v1/packages/" + ref));
      } else {
        out().println("uploaded " + name + " " + version + " (" + Json.text(pkg, "size") + " bytes, sha256 "
            + Json.text(pkg, "sha256") + ")" + (program != null ? ", program " + program : "")
            + (distribute ? ", distributing to every depot" : ""));
      }
      out().flush();
      return 0;
    }
  }

  @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List packages.")
  static final class Ls extends ApiCommand {
    Ls(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      JsonNode page = api.get("/api/v1/packages");
      if (json) {
        printJson(page);
        return 0;
      }
      Table t = new Table("NAME", "VERSION", "SIZE", "FILES", "SHA256", "CREATED", "ID");
      page.path("items").forEach(x -> t.row(Json.text(x, "name"), Json.text(x, "version"), Json.text(x, "size"),
          Json.text(x, "files"), Json.text(x, "sha256").substring(0, 12), Times.brief(Json.text(x, "createdAt")),
          Json.text(x, "id")));
      t.print(out());
      return 0;
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true,
      description = "Delete a package and its content on every depot (refused while a rollout uses it).")
  static final class Rm extends ApiCommand {
    @Parameters(paramLabel = "PACKAGE", description = "Id or name@version")
    String ref;

    Rm(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      api.delete("/api/v1/packages/" + ApiClient.segment(ref));
      out().println("deleted " + ref + "; depots remove its content");
      out().flush();
      return 0;
    }
  }
}
