package io.fleetcast.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.testing.TestDatabase;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Console sessions over plain HTTP: cookie attributes, CSRF on mutating calls, sign-out, idle expiry, revoked tokens, CSP. */
@Timeout(120)
class SessionApiTest {
  static TestServer server;
  static Api api;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server.apiUrl(), server.adminToken());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Session(String cookie, String csrf, HttpResponse<String> signIn) {}

  static Session signIn(String token) throws Exception {
    HttpResponse<String> r = send("POST", "/api/v1/session", null, null, new JsonObject().put("token", token).encode());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    return new Session(setCookie.substring(0, setCookie.indexOf(';')), new JsonObject(r.body()).getString("csrf"), r);
  }

  static HttpResponse<String> send(String method, String path, String cookie, String csrf, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.apiUrl() + path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (csrf != null) {
      b.header("X-CSRF-Token", csrf);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sign-in sets an HttpOnly, SameSite=Strict session cookie (not Secure in dev) and answers the role and a CSRF token. */
  @Test
  void signInSetsAStrictHttpOnlyCookie() throws Exception {
    Session s = signIn(server.adminToken());
    String setCookie = s.signIn().headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).startsWith("fleetcast_session=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict")
        .contains("Path=/").doesNotContain("Secure");
    JsonObject body = new JsonObject(s.signIn().body());
    assertThat(body.getString("role")).isEqualTo("admin");
    assertThat(body.getString("csrf")).hasSizeGreaterThan(20);
    assertThat(send("GET", "/api/v1/rollouts", s.cookie(), null, null).statusCode()).isEqualTo(200);
    assertThat(send("POST", "/api/v1/session", null, null, "{\"token\":\"fct_nope\"}").statusCode()).isEqualTo(401);
  }

  /** A cookie-authenticated mutating call without (or with a wrong) CSRF header is refused; with it, it passes. */
  @Test
  void mutatingCallsNeedTheCsrfHeader() throws Exception {
    Session s = signIn(server.adminToken());
    String body = new JsonObject().put("selector", new JsonObject().put("tags", new io.vertx.core.json.JsonArray().add("lab")))
        .encode();
    HttpResponse<String> none = send("PUT", "/api/v1/groups/csrf-check", s.cookie(), null, body);
    assertThat(none.statusCode()).isEqualTo(403);
    assertThat(none.body()).contains("X-CSRF-Token");
    assertThat(send("PUT", "/api/v1/groups/csrf-check", s.cookie(), "wrong", body).statusCode()).isEqualTo(403);
    assertThat(send("PUT", "/api/v1/groups/csrf-check", s.cookie(), s.csrf(), body).statusCode()).isEqualTo(201);
    JsonObject audit = api.get("/api/v1/audit?limit=1000").json().getJsonArray("items").stream().map(o -> (JsonObject) o)
        .filter(a -> a.getString("action").equals("group.put")).findFirst().orElseThrow();
    assertThat(audit.getString("actor")).as("audited as the signed-in token").startsWith("admin");
  }

  /** Sign-out needs the CSRF header, ends the session (the cookie stops working) and clears the cookie. */
  @Test
  void signOutEndsTheSession() throws Exception {
    Session s = signIn(server.adminToken());
    assertThat(send("DELETE", "/api/v1/session", s.cookie(), null, null).statusCode()).isEqualTo(403);
    HttpResponse<String> out = send("DELETE", "/api/v1/session", s.cookie(), s.csrf(), null);
    assertThat(out.statusCode()).as(out.body()).isEqualTo(204);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(send("GET", "/api/v1/rollouts", s.cookie(), null, null).statusCode()).isEqualTo(401);
  }

  /** A session idle for longer than console.sessionIdleMinutes no longer authenticates. */
  @Test
  void idleSessionsExpire() throws Exception {
    Session s = signIn(server.adminToken());
    TestDatabase.exec(server.db().url(), "UPDATE console_sessions SET last_used = now() - interval '2 hours'");
    // lookups are cached for 5 s; after that the idle session is refused
    Waits.until(() -> {
      try {
        return send("GET", "/api/v1/rollouts", s.cookie(), null, null).statusCode() == 401 ? true : null;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, Duration.ofSeconds(30));
  }

  /** The console is served at / with a strict Content-Security-Policy (no inline script, no eval, same origin only). */
  @Test
  void consoleIsServedWithAStrictCsp() throws Exception {
    HttpResponse<String> index = send("GET", "/", null, null, null);
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.body()).contains("<script type=\"module\" src=\"/console/app.js\">");
    String csp = index.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp).contains("script-src 'self'").contains("default-src 'none'").doesNotContain("unsafe-inline")
        .doesNotContain("unsafe-eval");
    HttpResponse<String> js = send("GET", "/console/lib/dom.js", null, null, null);
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("Content-Type").orElse("")).contains("javascript");
    assertThat(send("GET", "/console/../../etc/passwd", null, null, null).statusCode()).isIn(400, 404);
  }
}
