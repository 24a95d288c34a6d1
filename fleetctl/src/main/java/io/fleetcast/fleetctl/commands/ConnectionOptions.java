package io.fleetcast.fleetctl.commands;

import io.fleetcast.fleetctl.CliException;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.ExitCodes;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.config.Login;
import io.fleetcast.fleetctl.config.LoginStore;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --url} and {@code --token}; each falls back to the environment, then to the saved login. */
public final class ConnectionOptions {
  @Option(names = "--url", paramLabel = "URL", description = "Gateway URL (default: $FLEETCTL_URL, else the saved login)")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "API token (default: $FLEETCTL_TOKEN, else the saved login)")
  String token;

  public ApiClient client(Context ctx) {
    Optional<Login> saved = new LoginStore(ctx.configFile()).read();
    String u = first(url, ctx.env("FLEETCTL_URL"), saved.map(Login::url).orElse(null));
    String t = first(token, ctx.env("FLEETCTL_TOKEN"), saved.map(Login::token).orElse(null));
    if (u == null || t == null) {
      throw new CliException(ExitCodes.AUTH, "not logged in: run 'fleetctl login --url URL --token TOKEN' "
          + "(or set FLEETCTL_URL and FLEETCTL_TOKEN)");
    }
    return new ApiClient(u, t);
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return null;
  }
}
