package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcast.fleetctl.CliException;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.config.Login;
import io.fleetcast.fleetctl.config.LoginStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fleetctl login}: checks the token against the gateway, then saves URL and token (mode 0600). */
@Command(name = "login", mixinStandardHelpOptions = true,
    description = "Check a gateway URL and API token, and save both for later commands.")
public final class LoginCommand implements Callable<Integer> {
  @Option(names = "--url", required = true, paramLabel = "URL", description = "Gateway URL, e.g. http://127.0.0.1:8080")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "API token (default: $FLEETCTL_TOKEN; prefer --token-stdin: arguments show up in ps)")
  String token;

  @Option(names = "--token-stdin", description = "Read the token from standard input")
  boolean tokenStdin;

  @Option(names = "--no-verify", negatable = false, description = "Save without asking the gateway first")
  boolean noVerify;

  private final Context ctx;

  LoginCommand(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    String t = token != null ? token : tokenStdin ? readStdin() : ctx.env("FLEETCTL_TOKEN");
    if (t == null || t.isBlank()) {
      throw CliException.usage("give the API token with --token, --token-stdin or FLEETCTL_TOKEN");
    }
    ApiClient api = new ApiClient(url, t.trim());
    String summary = "";
    if (!noVerify) {
      // any role may read the cluster view: a cheap, side-effect-free check of URL and token
      JsonNode cluster = api.get("/api/v1/cluster");
      summary = " (" + cluster.path("nodes").size() + " node(s), " + cluster.path("connections").asInt() + " agent(s))";
    }
    LoginStore store = new LoginStore(ctx.configFile());
    store.write(new Login(api.baseUrl(), t.trim()));
    ctx.out().println("logged in to " + api.baseUrl() + summary + "; saved to " + store.file());
    return 0;
  }

  private static String readStdin() {
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line = r.readLine();
      return line == null ? null : line.trim();
    } catch (IOException e) {
      throw CliException.usage("cannot read the token from standard input: " + e.getMessage());
    }
  }
}
