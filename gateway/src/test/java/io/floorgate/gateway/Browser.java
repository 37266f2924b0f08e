package io.floorgate.gateway;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its chromedriver (Selenium). Tests that need it call
 * {@link #start}, which skips them, saying why, when Chromium or chromedriver is not installed.
 */
final class Browser implements AutoCloseable {
  private static final Path CHROMIUM = Path.of(env("CHROME_BIN", "/usr/bin/chromium"));
  private static final Path DRIVER = Path.of(env("CHROMEDRIVER", "/usr/bin/chromedriver"));
  /** Where the tests leave their screenshots (docs/images holds the current ones). */
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

  final ChromeDriver driver;
  private final ChromeDriverService service;

  private Browser(ChromeDriver driver, ChromeDriverService service) {
    this.driver = driver;
    this.service = service;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  /**
   * A fresh browser with a throw-away profile in {@code profile}, showing pages the size of a
   * 10-inch tablet in landscape (a viewport of 1280 x 800 CSS pixels). Animations are off
   * (prefers-reduced-motion), so screenshots do not catch a flash half-way.
   */
  static Browser start(Path profile) {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "browser tests need Debian's chromium and chromium-driver ("
            + CHROMIUM
            + ", "
            + DRIVER
            + " not found); .ci/run installs them, or: apt-get install chromium chromium-driver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        List.of(
            "--headless=new",
            "--no-sandbox", // Chromium refuses to run as root with its sandbox
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking", // a closed network: nothing to phone home to
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            "--user-data-dir=" + profile.toAbsolutePath(),
            "--window-size=1280,800",
            "--force-prefers-reduced-motion",
            "--lang=en-GB"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(30))
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    Browser browser = new Browser(driver, service);
    browser.viewport(1280, 800);
    return browser;
  }

  /**
   * Resizes the window so that the page itself (the viewport, without the window's frame) is
   * {@code width} x {@code height} CSS pixels, e.g. 800 x 1280 for a 10-inch tablet in portrait.
   */
  void viewport(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
    long[] inner = inner();
    driver
        .manage()
        .window()
        .setSize(new Dimension(2 * width - (int) inner[0], 2 * height - (int) inner[1]));
    inner = inner();
    if (inner[0] != width || inner[1] != height) {
      throw new IllegalStateException(
          "the viewport should be " + width + " x " + height + ", but is " + inner[0] + " x " + inner[1]);
    }
  }

  private long[] inner() {
    Object size = driver.executeScript("return [window.innerWidth, window.innerHeight];");
    List<?> list = (List<?>) size;
    return new long[] {((Number) list.get(0)).longValue(), ((Number) list.get(1)).longValue()};
  }

  /** Saves what the page shows now as {@code target/console-screenshots/NAME.png}. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path target = SCREENSHOTS.resolve(name + ".png");
      Path taken = driver.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(taken, target, StandardCopyOption.REPLACE_EXISTING);
      Files.deleteIfExists(taken);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
