package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetcast.fleetctl.CliException;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.output.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * SSH credentials and install plan options of {@code deploy start|retry}. Secrets come from an
 * environment variable or a file, never from the command line (other users see it in ps).
 */
final class DeployCredentials {
  @Option(names = "--user", paramLabel = "USER", description = "SSH user on the hosts")
  String user;

  @Option(names = "--password-env", paramLabel = "VAR", description = "Environment variable holding the SSH password")
  String passwordEnv;

  @Option(names = "--key-file", paramLabel = "FILE", description = "Private key file (OpenSSH or PEM)")
  Path keyFile;

  @Option(names = "--passphrase-env", paramLabel = "VAR", description = "Environment variable holding the key's passphrase")
  String passphraseEnv;

  @Option(names = "--port", defaultValue = "22", description = "SSH port (default ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--os", paramLabel = "OS", description = "linux (systemd, default) or windows (OpenSSH, scheduled task)")
  String os;

  @Option(names = "--install-dir", paramLabel = "DIR", description = "Install directory on the hosts")
  String installDir;

  @Option(names = "--java", paramLabel = "PATH", description = "Java runtime on the hosts (default: java on the PATH)")
  String javaPath;

  @Option(names = "--agent-arg", paramLabel = "ARG", description = "Extra agent-lite argument (repeatable)")
  List<String> agentArgs = new ArrayList<>();

  @Option(names = "--agent-connect-timeout", paramLabel = "SECONDS",
      description = "How long an installed agent has to enroll and connect")
  Integer agentConnectTimeout;

  boolean given() {
    return user != null;
  }

  /** {@code {credentials, plan}} for the request body. */
  ObjectNode body(Context ctx) {
    if (user == null) {
      throw CliException.usage("--user is required");
    }
    ObjectNode body = Json.object();
    ObjectNode c = body.putObject("credentials").put("user", user).put("port", port);
    if (passwordEnv != null) {
      String pw = ctx.env(passwordEnv);
      if (pw == null) {
        throw CliException.usage("environment variable " + passwordEnv + " is not set");
      }
      c.put("password", pw);
    }
    if (keyFile != null) {
      try {
        c.put("privateKey", Files.readString(keyFile));
      } catch (IOException e) {
        throw CliException.usage("cannot read " + keyFile + ": " + e.getMessage());
      }
      if (passphraseEnv != null) {
        c.put("passphrase", ctx.env(passphraseEnv));
      }
    }
    if (passwordEnv == null && keyFile == null) {
      throw CliException.usage("give --password-env VAR or --key-file FILE");
    }
    ObjectNode plan = body.putObject("plan");
    if (os != null) {
      plan.put("os", os);
    }
    if (installDir != null) {
      plan.put("installDir", installDir);
    }
    if (javaPath != null) {
      plan.put("javaPath", javaPath);
    }
    if (agentConnectTimeout != null) {
      plan.put("agentConnectTimeoutSeconds", agentConnectTimeout);
    }
    agentArgs.forEach(plan.putArray("agentArgs")::add);
    return body;
  }
}
