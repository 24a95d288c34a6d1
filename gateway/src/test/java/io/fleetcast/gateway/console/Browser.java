package io.fleetcast.gateway.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.devtools.DevTools;
import org.openqa.selenium.devtools.v156.log.Log;
import org.openqa.selenium.devtools.v156.network.Network;
import org.openqa.selenium.devtools.v156.runtime.Runtime;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium driven through /usr/bin/chromedriver (never Selenium Manager: the driver and
 * the browser binary are set explicitly, and the test checks nothing was fetched into
 * ~/.cache/selenium). Records every request URL and every console/CSP message through DevTools.
 * Without Chromium the calling test class is skipped with a message, except under CI=true.
 */
public final class Browser implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Browser.class.getName());
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Path SELENIUM_CACHE = Path.of(System.getProperty("user.home"), ".cache", "selenium");

  private final ChromeDriver driver;
  private final ChromeDriverService service;
  private final DevTools devTools;
  private final Path profile;
  private final boolean cacheExisted;
  private final String base;
  /** Every URL the page requested (to prove no third-party host is contacted). */
  public final List<String> requests = new CopyOnWriteArrayList<>();
  /** Console and security messages of level warning or error (CSP violations land here). */
  public final List<String> problems = new CopyOnWriteArrayList<>();

  private Browser(String base) throws IOException {
    this.base = base;
    this.cacheExisted = Files.exists(SELENIUM_CACHE);
    this.profile = Files.createTempDirectory("fleetcast-chromium");
    service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1366,900",
        "--user-data-dir=" + profile);
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    devTools = driver.getDevTools();
    devTools.createSession();
    devTools.send(Network.enable(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
    devTools.addListener(Network.requestWillBeSent(), e -> requests.add(e.getRequest().getUrl()));
    devTools.send(Runtime.enable());
    devTools.addListener(Runtime.exceptionThrown(), e -> problems.add("exception " + e.getExceptionDetails().getText()
        + " " + e.getExceptionDetails().getException().flatMap(x -> x.getDescription()).orElse("")));
    devTools.send(Log.enable());
    devTools.addListener(Log.entryAdded(), e -> {
      String level = e.getLevel().toString();
      if (level.equals("error") || level.equals("warning")) {
        problems.add(level + " " + e.getSource() + ": " + e.getText() + " " + e.getUrl().orElse(""));
      }
    });
  }

  /** A browser for the console at {@code base}, or the test is skipped (CI=true: failed) when Chromium is absent. */
  public static Browser start(String base) {
    requireChromium();
    try {
      return new Browser(base);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Skips the calling test class with a visible message when Chromium is absent; fails instead under CI=true. */
  public static void requireChromium() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present) {
      String msg = "console browser tests SKIPPED: " + CHROMIUM + " or " + CHROMEDRIVER
          + " missing (Debian packages chromium and chromium-driver; .ci/run installs them)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(msg.replace("SKIPPED", "cannot run under CI=true"));
      }
      System.err.println("*** " + msg);
      Assumptions.abort(msg);
    }
  }

  public ChromeDriver driver() {
    return driver;
  }

  public void open(String hashPath) {
    driver.get(base + "/#" + hashPath);
  }

  public WebElement waitFor(String css) {
    try {
      return wait(Duration.ofSeconds(30)).until(d -> {
        for (WebElement e : d.findElements(By.cssSelector(css))) {
          if (e.isDisplayed()) {
            return e;
          }
        }
        return null;
      });
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("no visible " + css + "; page " + driver.getCurrentUrl() + " text: "
          + driver.findElement(By.tagName("body")).getText() + "; console: " + problems + "; last requests: "
          + requests.subList(Math.max(0, requests.size() - 8), requests.size()), e);
    }
  }

  /** Waits until the element matching {@code css} has a text containing {@code text}. */
  public WebElement waitForText(String css, String text) {
    return waitForText(css, text, Duration.ofSeconds(30));
  }

  public WebElement waitForText(String css, String text, Duration timeout) {
    try {
      return wait(timeout).until(d -> {
        for (WebElement e : d.findElements(By.cssSelector(css))) {
          if (e.getText().contains(text)) {
            return e;
          }
        }
        return null;
      });
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("no " + css + " with text '" + text + "'; page " + driver.getCurrentUrl() + " text: "
          + driver.findElement(By.tagName("body")).getText() + "; console: " + problems + "; last requests: "
          + requests.subList(Math.max(0, requests.size() - 8), requests.size()), e);
    }
  }

  /** Waits that ignore elements replaced while looking (the live page re-renders its header on every event). */
  private org.openqa.selenium.support.ui.FluentWait<org.openqa.selenium.WebDriver> wait(Duration timeout) {
    return new WebDriverWait(driver, timeout).ignoring(org.openqa.selenium.StaleElementReferenceException.class);
  }

  public List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Clicks the first visible match, finding it again if the page replaced it in between. */
  public void click(String css) {
    wait(Duration.ofSeconds(30)).until(d -> {
      waitFor(css).click();
      return true;
    });
  }

  public void type(String css, String text) {
    WebElement e = waitFor(css);
    e.clear();
    e.sendKeys(text);
  }

  public Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Saves a PNG under target/screenshots (looked at by a person; the README shows one). */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      // the whole page, not only the viewport: grow the window to the document for the shot
      org.openqa.selenium.Dimension before = driver.manage().window().getSize();
      long height = ((Number) js("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)"))
          .longValue();
      driver.manage().window().setSize(new org.openqa.selenium.Dimension(before.getWidth(),
          (int) Math.min(4000, Math.max(before.getHeight(), height + 140))));
      File f = driver.getScreenshotAs(OutputType.FILE);
      driver.manage().window().setSize(before);
      Path out = SCREENSHOTS.resolve(name + ".png");
      Files.copy(f.toPath(), out, StandardCopyOption.REPLACE_EXISTING);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether Selenium Manager fetched anything during this run (it must not: the driver is given). */
  public boolean seleniumCacheCreated() {
    return !cacheExisted && Files.exists(SELENIUM_CACHE);
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } catch (RuntimeException e) {
      LOG.warning("event=browser.quit_failed error=" + e);
    }
    service.stop();
  }
}
