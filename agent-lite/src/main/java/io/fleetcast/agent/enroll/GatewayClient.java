package io.fleetcast.agent.enroll;

import io.fleetcast.agent.connection.TransportPolicy;
import io.fleetcast.protocol.AgentCredential;
import io.fleetcast.protocol.Facts;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * Talks to the gateway: enrollment ({@code POST /api/v1/enroll}), bootstrap ({@code GET
 * /agent/v1/bootstrap}) and the agent's trusted tags ({@code GET /agent/v1/self}).
 */
public final class GatewayClient {
  private static final int MAX_BODY = 1024 * 1024;

  private final HttpClient http;
  private final TransportPolicy policy;
  private final Duration timeout;

  public GatewayClient(HttpClient http, TransportPolicy policy, Duration timeout) {
    this.http = http;
    this.policy = policy;
    this.timeout = timeout;
  }

  public Future<Credentials> enroll(String gatewayUrl, String enrollmentToken, String hostname, Facts facts) {
    JsonObject body = new JsonObject().put("hostname", hostname).put("facts", facts.toJson());
    return call(HttpMethod.POST, gatewayUrl + "/api/v1/enroll", "Bearer " + enrollmentToken, body, 201)
        .map(j -> {
          String agentId = j.getString("agentId");
          String secret = j.getString("agentSecret");
          if (agentId == null || secret == null) {
            throw new GatewayException(502, "enrollment answer lacks agentId or agentSecret");
          }
          return new Credentials(agentId, secret, gatewayUrl, Credentials.strings(j.getJsonArray("nodes")),
              SigningKey.listFromJson(j.getJsonArray("signingKeys")), Credentials.strings(j.getJsonArray("tags")),
              j.getString("caSha256"), Instant.now());
        });
  }

  public Future<BootstrapInfo> bootstrap(String gatewayUrl, AgentCredential credential) {
    return call(HttpMethod.GET, gatewayUrl + "/agent/v1/bootstrap", credential.authorizationHeader(), null, 200)
        .map(j -> new BootstrapInfo(Credentials.strings(j.getJsonArray("nodes")),
            SigningKey.listFromJson(j.getJsonArray("signingKeys"))));
  }

  /** The agent's trusted (server-assigned) tags: {@code GET /agent/v1/self}. */
  public Future<java.util.List<String>> selfTags(String gatewayUrl, AgentCredential credential) {
    return call(HttpMethod.GET, gatewayUrl + "/agent/v1/self", credential.authorizationHeader(), null, 200)
        .map(j -> {
          if (!(j.getValue("tags") instanceof io.vertx.core.json.JsonArray arr)) {
            throw new GatewayException(502, "self answer lacks tags[]");
          }
          return Credentials.strings(arr);
        });
  }

  private Future<JsonObject> call(HttpMethod method, String url, String authorization, JsonObject body,
      int expected) {
    try {
      policy.check(url, false);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new GatewayException(400, e.getMessage()));
    }
    RequestOptions ro = new RequestOptions().setMethod(method).setAbsoluteURI(url)
        .putHeader("Authorization", authorization).putHeader("Accept", "application/json")
        .setTimeout(timeout.toMillis()).setConnectTimeout(timeout.toMillis());
    if (body != null) {
      ro.putHeader("Content-Type", "application/json");
    }
    return http.request(ro)
        .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
        .compose(resp -> resp.body().map(b -> answer(resp, b, expected)))
        .recover(e -> Future.failedFuture(e instanceof GatewayException ? e
            : new GatewayException(0, "gateway " + url + " not reachable: " + e.getMessage())));
  }

  private static JsonObject answer(HttpClientResponse resp, Buffer b, int expected) {
    if (b.length() > MAX_BODY) {
      throw new GatewayException(502, "gateway answer too large");
    }
    if (resp.statusCode() != expected && resp.statusCode() != 200) {
      throw new GatewayException(resp.statusCode(), "gateway answered " + resp.statusCode() + ": " + problemDetail(b));
    }
    try {
      return new JsonObject(b);
    } catch (RuntimeException e) {
      throw new GatewayException(502, "gateway answer is not JSON");
    }
  }

  /** The {@code detail} (or {@code title}) of an RFC 9457 problem, else the start of the body. */
  static String problemDetail(Buffer b) {
    try {
      JsonObject p = new JsonObject(b);
      String detail = p.getString("detail");
      return detail != null ? detail : p.getString("title", "(no detail)");
    } catch (RuntimeException notJson) {
      String s = b.toString();
      return s.length() > 200 ? s.substring(0, 200) : s;
    }
  }
}
