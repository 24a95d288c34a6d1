package io.fleetcast.gateway.deploy;

import io.vertx.core.json.JsonObject;

/**
 * How to log on to the hosts of a job: a user with a password or a private key (OpenSSH or
 * PEM text, optionally with a passphrase). Secret: kept encrypted at rest by
 * {@link CredentialVault}, never logged ({@link #toString()} masks it) and never returned.
 */
public record SshCredentials(String user, String password, String privateKey, String passphrase, int port) {

  public static SshCredentials fromJson(JsonObject j) {
    return new SshCredentials(j.getString("user"), j.getString("password"), j.getString("privateKey"),
        j.getString("passphrase"), j.getInteger("port", 22));
  }

  public JsonObject toJson() {
    return new JsonObject().put("user", user).put("password", password).put("privateKey", privateKey)
        .put("passphrase", passphrase).put("port", port);
  }

  /** What may be shown: the user, the port and which kind of secret there is. */
  public JsonObject publicJson() {
    return new JsonObject().put("user", user).put("port", port).put("auth", privateKey != null ? "privateKey" : "password");
  }

  @Override
  public String toString() {
    return "SshCredentials[user=" + user + ", port=" + port + ", secret=***]";
  }
}
