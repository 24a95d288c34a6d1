package io.fleetcast.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.AgentLite;
import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.facts.StaticFactsProvider;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * The console in a real Chromium against a real server with real agent-lite agents (3 that
 * succeed, 2 that fail): sign-in/out, role limits, a rollout created from the form and watched to
 * the end live, a failed host's output (hostile markup shown as text), re-run, pause/resume/cancel,
 * per-field errors, the agents table, and every other page. One server and one browser for all.
 */
@Timeout(300)
class ConsoleBrowserTest {
  static final String HOSTILE = "<img src=x onerror=alert(1)>";
  static TestServer server;
  static Vertx vertx;
  static Api api;
  static Browser browser;
  static final List<AgentLite> agents = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Browser.requireChromium(); // skips (or fails under CI=true) before anything else starts
    server = TestServer.start(Map.of("api.rateLimitPerSecond", 10_000));
    vertx = Vertx.vertx();
    api = new Api(server.apiUrl(), server.adminToken());
    Path states = Files.createTempDirectory("console-agents");
    String good = enrollment(3, "console", "good");
    String bad = enrollment(2, "console", "bad");
    List<Future<Void>> started = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String name = (i < 3 ? "web-" : "db-") + i;
      Path dir = states.resolve(name);
      Files.createDirectories(dir.resolve("work"));
      if (i >= 3) {
        Files.writeString(dir.resolve("work").resolve("fail"), "this agent's task fails");
      }
      AgentLite a = new AgentLite(vertx, new AgentOptions().stateDir(dir).gatewayUrl(server.apiUrl())
          .enrollmentToken(i < 3 ? good : bad).dev(true).factsProvider(StaticFactsProvider.loopback(name))
          .backoffBase(Duration.ofMillis(100)).backoffCap(Duration.ofSeconds(2)));
      agents.add(a);
      started.add(a.start());
    }
    Future.all(started).await();
    Waits.until(() -> agents.stream().allMatch(AgentLite::connected) ? true : null, Duration.ofSeconds(60));
    Waits.until(() -> api.get("/api/v1/agents?online=true").json().getJsonArray("items").size() == 5 ? true : null,
        Duration.ofSeconds(30));
    api.enroll(60, "paged"); // offline agents host-0 .. host-59 for paging
    browser = Browser.start(server.apiUrl());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      boolean fetched = browser.seleniumCacheCreated();
      browser.close();
      assertThat(fetched).as("Selenium Manager downloaded something into ~/.cache/selenium").isFalse();
    }
    if (vertx != null) {
      Future.all(agents.stream().map(AgentLite::stop).toList()).await();
      vertx.close().await();
    }
    if (server != null) {
      server.close();
    }
  }

  /** After every test: nothing broke the Content-Security-Policy, and the page contacted no other host. */
  @AfterEach
  void noCspViolationAndNoThirdPartyRequest() {
    assertThat(browser.problems).as("console and CSP messages")
        .noneMatch(p -> p.contains("Content Security Policy") || p.contains("Refused to"));
    assertThat(browser.requests).as("every request goes to the gateway")
        .allMatch(u -> u.startsWith(server.apiUrl() + "/") || u.startsWith("data:") || u.startsWith("about:"));
  }

  static String enrollment(int uses, String... tags) {
    return api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", uses)
        .put("tags", new JsonArray(List.of(tags)))).json().getString("token");
  }

  static String token(String name, String role) {
    return api.post("/api/v1/api-tokens", new JsonObject().put("name", name).put("role", role)).json().getString("token");
  }

  static void signOutIfSignedIn() {
    browser.open("/");
    browser.waitFor("[data-action=sign-out], #signin");
    if (!browser.all("[data-action=sign-out]").isEmpty()) {
      browser.click("[data-action=sign-out]");
    }
    browser.waitFor("#signin");
  }

  static void signIn(String token) {
    signOutIfSignedIn();
    // a token typed while the page is still settling can be lost (the form then says "must be an API
    // token"); an operator would type it again, and so does the test, a bounded number of times
    for (int attempt = 1; ; attempt++) {
      browser.type("#signin input[name=token]", token);
      browser.click("#signin button[type=submit]");
      try {
        browser.waitFor("[data-action=sign-out]");
        return;
      } catch (AssertionError e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  static Object fetchStatus(String method, String path, boolean withCsrf) {
    return browser.driver().executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        (async () => {
          const s = await (await fetch('/api/v1/session')).json();
          const headers = {'Content-Type': 'application/json'};
          if (arguments[2]) headers['X-CSRF-Token'] = s.csrf;
          const r = await fetch(arguments[1], {method: arguments[0], headers, body: '{}'});
          done(r.status);
        })().catch(e => done(String(e)));""", method, path, withCsrf);
  }

  static JsonObject createRollout(String command, JsonObject strategy) {
    JsonObject body = new JsonObject().put("name", "api " + command)
        .put("steps", new JsonArray().add(new JsonObject().put("kind", "exec")
            .put("spec", new JsonObject().put("command", command).put("shell", true))))
        .put("targets", new JsonObject().put("tags", new JsonArray().add("console"))).put("strategy", strategy);
    Api.Res r = api.post("/api/v1/rollouts", body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  /** Sign-in exchanges the token for an HttpOnly SameSite=Strict cookie; mutating calls need the CSRF header; sign-out ends the session; both are audited as the token. */
  @Test
  void signInAndOut() {
    signOutIfSignedIn();
    browser.screenshot("01-sign-in");
    browser.type("#signin input[name=token]", "fct_wrong");
    browser.click("#signin button[type=submit]");
    browser.waitForText("[data-error-for=token]", "unknown or revoked API token");

    signIn(server.adminToken());
    browser.waitForText("h1", "Fleet overview");
    assertThat(browser.all("#nav a")).extracting(WebElement::getText).contains("Agents", "Rollouts", "Audit");
    Cookie c = browser.driver().manage().getCookieNamed("fleetcast_session");
    assertThat(c).isNotNull();
    assertThat(c.isHttpOnly()).isTrue();
    assertThat(c.getSameSite()).isEqualTo("Strict");
    assertThat((String) browser.js("return document.cookie")).doesNotContain("fleetcast_session");
    assertThat(fetchStatus("POST", "/api/v1/rollouts/" + java.util.UUID.randomUUID() + "/pause", false))
        .as("a cookie-authenticated POST without the CSRF header").isEqualTo(403L);
    browser.screenshot("02-overview");

    browser.click("[data-action=sign-out]");
    browser.waitFor("#signin");
    Object status = browser.driver().executeAsyncScript(
        "const done = arguments[0]; fetch('/api/v1/rollouts').then(r => done(r.status));");
    assertThat(status).as("the old cookie after sign-out").isEqualTo(401L);
    JsonArray audit = api.get("/api/v1/audit?limit=1000").json().getJsonArray("items");
    List<String> actions = audit.stream().map(o -> ((JsonObject) o).getString("action")).toList();
    assertThat(actions).contains("session.create", "session.delete");
  }

  /** A viewer sees no action buttons anywhere, and the API refuses its mutating calls anyway (403). */
  @Test
  void viewerSeesNoButtonsAndTheApiRefusesIt() {
    JsonObject r = createRollout("true", new JsonObject());
    Waits.rolloutState(api, r.getString("id"), Set.of("completed"), Duration.ofSeconds(60));
    signIn(token("console-viewer", "viewer"));
    assertThat(browser.all("#nav a")).extracting(WebElement::getText).doesNotContain("Audit", "Wake");
    browser.open("/rollouts");
    browser.waitFor("[data-table=rollouts] tbody tr[data-key]");
    assertThat(browser.all("[data-action=new-rollout]")).isEmpty();
    browser.waitForText("[data-table=rollouts] td[data-col=progress]", "100 %");
    browser.screenshot("03-rollouts-as-viewer");
    browser.open("/rollouts/" + r.getString("id"));
    browser.waitFor("[data-table=hosts] tbody tr[data-key]");
    assertThat(browser.all("[data-action=pause], [data-action=resume], [data-action=cancel], [data-action=rerun]")).isEmpty();
    browser.screenshot("03-rollout-as-viewer");
    String agentId = api.get("/api/v1/agents?online=true").json().getJsonArray("items").getJsonObject(0).getString("id");
    browser.open("/agents/" + agentId);
    browser.waitForText("h2", "Facts");
    assertThat(browser.all("[data-action=wake], [data-action=revoke], #tags-form")).isEmpty();
    browser.open("/cluster");
    browser.waitFor("[data-table=nodes] tbody tr[data-key]");
    assertThat(browser.all("[data-action=drain], [data-action=undrain]")).isEmpty();
    assertThat(fetchStatus("POST", "/api/v1/rollouts/" + r.getString("id") + "/pause", true))
        .as("viewer pausing through the API with a valid CSRF token").isEqualTo(403L);
  }

  /** The form creates a rollout on real agents after a confirmation naming the machine count; the page follows it live to the end; a failed host's hostile output is text; re-run failed creates a rollout for exactly those. */
  @Test
  void rolloutFromTheFormCompletesLiveAndFailedHostsRerun() {
    signIn(server.adminToken());
    browser.open("/rollouts/new");
    browser.type("[data-field=name] input", "console patch");
    browser.type("[data-field='steps[0].spec.command'] input", "echo '" + HOSTILE + "'; test ! -e fail");
    browser.click("[data-field='steps[0].spec.shell'] input");
    browser.type("[data-field='targets.tags'] input", "console");
    browser.type("[data-field='strategy.maxFailurePercent'] input", "50");
    browser.waitFor("#target-preview [data-count='5']");
    browser.screenshot("04-new-rollout");
    browser.click("[data-action=create-rollout]");
    WebElement dialog = browser.waitFor("dialog.confirm");
    assertThat(dialog.getText()).contains("5 machine(s)").contains("step 1: exec echo");
    browser.screenshot("05-confirm");
    browser.click("[data-action=confirm-ok]");
    browser.waitFor("[data-table=hosts] tbody tr[data-key]");
    String id = browser.driver().getCurrentUrl().replaceAll(".*#/rollouts/", "");
    browser.js("window.__sameDocument = true");

    browser.waitForText("[data-state=succeeded]", "succeeded 3", Duration.ofSeconds(90));
    browser.waitForText("[data-state=failed]", "failed 2", Duration.ofSeconds(90));
    browser.waitForText(".title-row .badge", "completed", Duration.ofSeconds(60));
    assertThat(browser.js("return window.__sameDocument === true")).as("updated live, without a reload").isEqualTo(true);
    browser.waitForText("[data-failure-rate]", "40.0 %");
    browser.screenshot("06-rollout-live");

    browser.waitFor("[data-field=hostState] select")
        .sendKeys("failed");
    browser.waitFor("[data-table=hosts] tbody tr[data-key]");
    Waits.until(() -> browser.all("[data-table=hosts] tbody tr[data-key]").size() == 2 ? true : null, Duration.ofSeconds(20));
    browser.click("[data-table=hosts] tbody tr[data-key]"); // found again if a live update re-rendered the table
    WebElement out = browser.waitForText("#host-output pre.out", HOSTILE);
    assertThat(out.getText().trim()).isEqualTo(HOSTILE);
    assertThat(browser.js("return document.querySelectorAll('img').length")).as("markup in output never became an element")
        .isEqualTo(0L);
    assertThat(noAlert()).isTrue();
    browser.screenshot("07-failed-host-output");

    browser.click("[data-action=rerun]");
    assertThat(browser.waitFor("dialog.confirm").getText()).contains("2 machine(s) will run it");
    browser.click("[data-action=confirm-ok]");
    Waits.until(() -> browser.driver().getCurrentUrl().endsWith(id) ? null : true, Duration.ofSeconds(20));
    String rerun = browser.driver().getCurrentUrl().replaceAll(".*#/rollouts/", "");
    JsonObject done = Waits.rolloutState(api, rerun, Set.of("completed", "halted"), Duration.ofSeconds(90));
    assertThat(done.getInteger("targets")).isEqualTo(2);
    assertThat(done.getJsonObject("counts").getInteger("failed")).isEqualTo(2);
    browser.waitForText("[data-state=failed]", "failed 2", Duration.ofSeconds(30));
    browser.screenshot("08-rerun");
    JsonObject created = api.get("/api/v1/audit?limit=1000").json().getJsonArray("items").stream()
        .map(o -> (JsonObject) o).filter(a -> a.getString("action").equals("rollout.create")
            && a.getString("target").equals(id)).findFirst().orElseThrow();
    assertThat(created.getString("actor")).as("the action is audited as the signed-in token").startsWith("admin");
  }

  /** A running task's output streams into the page as the agent writes it (before any result is stored), and the stream ends with the task. */
  @Test
  void liveOutputOfARunningTask() {
    String agentId = agents.get(0).agentId();
    JsonObject body = new JsonObject().put("name", "slow script")
        .put("steps", new JsonArray().add(new JsonObject().put("kind", "exec").put("spec", new JsonObject()
            .put("command", "for i in $(seq 1 15); do echo tick-$i; sleep 1; done").put("shell", true))))
        .put("targets", new JsonObject().put("agents", new JsonArray().add(agentId)));
    Api.Res r = api.post("/api/v1/rollouts", body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    String id = r.json().getString("id");
    signIn(server.adminToken());
    browser.open("/rollouts/" + id);
    // an exec task reports no progress: its target is acked until the result arrives
    Waits.until(() -> Set.of("acked", "running").contains(text("[data-table=hosts] td[data-col=state]")) ? true : null,
        Duration.ofSeconds(30));
    browser.click("[data-table=hosts] tbody tr[data-key]");
    browser.click("[data-action=live-output]");
    browser.waitForText("[data-live]", "tick-", Duration.ofSeconds(30));
    assertThat(api.get("/api/v1/rollouts/" + id + "/results").json().getJsonArray("items"))
        .as("chunks are relayed, not stored: no result yet while it streams").isEmpty();
    assertThat(browser.waitFor("[data-live]").getText()).doesNotContain("tick-15");
    browser.screenshot("07b-live-output");
    browser.waitForText("[data-live]", "tick-15", Duration.ofSeconds(40));
    browser.waitForText(".live-output .muted", "succeeded", Duration.ofSeconds(40));
    browser.waitForText("#host-output pre.out:not(.live)", "tick-1\ntick-2", Duration.ofSeconds(20));
    Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(30));
  }

  /** Pause, resume and cancel from the rollout page change the rollout's state (and the page shows it). */
  @Test
  void pauseResumeCancel() {
    JsonObject r = createRollout("sleep 30", new JsonObject().put("maxInFlight", 1));
    signIn(server.adminToken());
    browser.open("/rollouts/" + r.getString("id"));
    browser.click("[data-action=pause]");
    browser.waitForText(".title-row .badge", "paused");
    assertThat(api.get("/api/v1/rollouts/" + r.getString("id")).json().getString("state")).isEqualTo("paused");
    browser.click("[data-action=resume]");
    browser.waitForText(".title-row .badge", "running");
    browser.click("[data-action=cancel]");
    browser.waitFor("dialog.confirm");
    browser.click("[data-action=confirm-ok]");
    browser.waitForText(".title-row .badge", "cancelled");
    Waits.rolloutState(api, r.getString("id"), Set.of("cancelled"), Duration.ofSeconds(30));
    browser.screenshot("09-cancelled");
  }

  /** Targets saved as a group from the form come back as a choice of the form, with their live count. */
  @Test
  void targetsSavedAsAGroupAreOfferedByTheForm() {
    signIn(server.adminToken());
    browser.open("/rollouts/new");
    browser.type("[data-field=name] input", "with a saved group");
    browser.type("[data-field='steps[0].spec.command'] input", "true");
    browser.type("[data-field='targets.tags'] input", "console");
    browser.type("[data-field=saveGroup] input", "console-fleet");
    browser.waitFor("#target-preview [data-count='5']");
    browser.click("[data-action=create-rollout]");
    browser.click("[data-action=confirm-ok]");
    browser.waitFor("[data-table=hosts] tbody tr[data-key]");
    assertThat(api.get("/api/v1/groups/console-fleet").json().getJsonObject("selector").getJsonArray("tags"))
        .containsExactly("console");
    browser.open("/rollouts");
    browser.open("/rollouts/new");
    browser.waitFor("[data-field='targets.mode'] select").sendKeys("group");
    browser.waitFor("[data-field='targets.group'] select");
    assertThat(browser.waitFor("[data-field='targets.group'] select").getText()).contains("console-fleet");
    browser.waitFor("#target-preview [data-count='5']");
    browser.screenshot("10-new-rollout-group");
  }

  /** The API's per-field errors appear next to the fields they name. */
  @Test
  void fieldErrorsAreShownNextToTheirFields() {
    signIn(server.adminToken());
    browser.open("/rollouts/new");
    browser.type("[data-field=name] input", "bad one");
    browser.type("[data-field='targets.tags'] input", "console");
    browser.type("[data-field='strategy.waves'] input", "10, 50");
    browser.type("[data-field='strategy.maxFailurePercent'] input", "150");
    browser.waitFor("#target-preview [data-count='5']");
    browser.click("[data-action=create-rollout]");
    browser.click("[data-action=confirm-ok]");
    browser.waitForText("[data-error-for='steps[0].spec.command']", "is required");
    browser.waitForText("[data-error-for='strategy.waves']", "the last wave must be 100");
    browser.waitForText("[data-error-for='strategy.maxFailurePercent']", "100");
    browser.screenshot("10-field-errors");
  }

  /** The agents table filters on the server (tag, hostname, online) and pages 25 rows at a time; an admin edits tags. */
  @Test
  void agentsTableIsFilteredAndPaged() {
    signIn(server.adminToken());
    browser.open("/agents");
    browser.waitFor("[data-table=agents] tbody tr[data-key]");
    browser.type("[data-field=tag] input", "paged");
    browser.click("form.filters button[type=submit]");
    Waits.until(() -> rows("agents") == 25 && text("[data-table=agents] td[data-col=hostname]").startsWith("host-") ? true : null,
        Duration.ofSeconds(20));
    browser.screenshot("11-agents");
    browser.click("[data-table=agents] .pager button:last-child");
    Waits.until(() -> browser.js("return document.querySelector('[data-table=agents] .pager span').textContent")
        .equals("page 2") && rows("agents") == 25 ? true : null, Duration.ofSeconds(20));
    browser.click("[data-table=agents] .pager button:last-child");
    Waits.until(() -> rows("agents") == 10 ? true : null, Duration.ofSeconds(20));
    assertThat(browser.all("[data-table=agents] .pager button").get(1).isEnabled()).isFalse();
    browser.type("[data-field=q] input", "HOST-1");
    browser.click("form.filters button[type=submit]");
    Waits.until(() -> rows("agents") == 11 ? true : null, Duration.ofSeconds(20));
    browser.type("[data-field=tag] input", "");
    browser.type("[data-field=q] input", "");
    browser.waitFor("[data-field=online] select").sendKeys("true");
    browser.click("form.filters button[type=submit]");
    Waits.until(() -> rows("agents") == 5 ? true : null, Duration.ofSeconds(20));

    browser.click("[data-table=agents] td[data-col=hostname] a");
    browser.waitForText("h2", "Facts");
    // the trusted tags are replaced as typed (other tests target "console", so it stays)
    browser.type("#tags-form input", "console, lab, rack-7");
    browser.click("#tags-form button[type=submit]");
    browser.waitForText("[data-tags]", "rack-7");
    assertThat(browser.waitFor("[data-tags]").getText()).isEqualTo("console, lab, rack-7");
    browser.screenshot("12-agent");
  }

  /** Schedules (create, next firing), wake (field errors), cluster (nodes, connections) and audit (chain intact) work. */
  @Test
  void schedulesWakeClusterAndAuditPages() {
    signIn(server.adminToken());
    browser.open("/schedules");
    browser.waitFor("#new-schedule");
    browser.type("#new-schedule [data-field=name] input", "nightly");
    browser.type("#new-schedule [data-field=cron] input", "0 2 * * *");
    browser.type("#new-schedule .rollout-form [data-field=name] input", "nightly inventory");
    browser.waitFor("#new-schedule [data-field='steps[0].kind'] select")
        .sendKeys("inventory");
    browser.type("#new-schedule [data-field='targets.tags'] input", "console");
    browser.click("[data-action=create-schedule]");
    browser.waitForText("[data-table=schedules] td[data-col=name]", "nightly");
    // regression: the overview still loading after sign-in must not finish into this page
    assertThat(browser.all("h1")).extracting(WebElement::getText).containsExactly("Schedules");
    assertThat(text("[data-table=schedules] td[data-col=nextFireAt]")).contains("02:00:00");
    browser.screenshot("13-schedules");

    browser.open("/wake");
    browser.type("#wake [data-field=macs] textarea", "not-a-mac");
    browser.click("[data-action=wake]");
    browser.waitFor("#wake .field.invalid, #wake .form-error div");
    browser.screenshot("14-wake");

    browser.open("/cluster");
    browser.waitFor("[data-table=nodes] tbody tr[data-key]");
    assertThat(text("[data-table=nodes] td[data-col=connections]")).isEqualTo("5");
    assertThat(browser.all("[data-action=drain]")).hasSize(1);
    browser.screenshot("15-cluster");

    browser.open("/audit");
    browser.waitFor("[data-table=audit] tbody tr[data-key]");
    browser.click("[data-action=verify]");
    browser.waitForText("#audit-verdict", "intact");
    browser.screenshot("16-audit");
  }

  static int rows(String table) {
    return browser.all("[data-table=" + table + "] tbody tr[data-key]").size();
  }

  /** The text of the first visible match, looked up again if the live page replaced it meanwhile. */
  static String text(String css) {
    for (int i = 0; ; i++) {
      try {
        return browser.waitFor(css).getText();
      } catch (org.openqa.selenium.StaleElementReferenceException e) {
        if (i >= 20) {
          throw e;
        }
      }
    }
  }

  static boolean noAlert() {
    try {
      browser.driver().switchTo().alert();
      return false;
    } catch (NoAlertPresentException e) {
      return true;
    }
  }
}
