package io.hookwire.ui;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, one per test class (a first start takes seconds). Register it as a
 * static {@code @RegisterExtension} field. Without Chromium on the machine the class is skipped
 * with the reason, unless {@code HOOKWIRE_TEST_REQUIRE_BROWSER=true} makes that a failure. A failed
 * test leaves a screenshot in {@code target/screenshots/}.
 */
final class Browser implements BeforeAllCallback, AfterAllCallback, TestWatcher {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  /** Wide enough for the webhook table's six columns side by side. */
  static final Dimension DESKTOP = new Dimension(1280, 900);

  private ChromeDriver driver;

  @Override
  public void beforeAll(ExtensionContext context) {
    Optional<String> missing =
        !Files.isExecutable(CHROMIUM)
            ? Optional.of(CHROMIUM + " is missing (apt-get install chromium)")
            : !Files.isExecutable(CHROMEDRIVER)
                ? Optional.of(CHROMEDRIVER + " is missing (apt-get install chromium-driver)")
                : Optional.empty();
    if (missing.isPresent()) {
      if ("true".equalsIgnoreCase(System.getenv("HOOKWIRE_TEST_REQUIRE_BROWSER"))) {
        fail("browser tests are required but " + missing.get());
      }
      Assumptions.abort("browser tests skipped: " + missing.get());
    }
    // Both paths given, so Selenium Manager never looks for (or downloads) a browser or driver.
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--lang=en-US",
        "--window-size=" + DESKTOP.width + "," + DESKTOP.height);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  ChromeDriver driver() {
    return driver;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    if (driver == null) {
      return;
    }
    String name =
        (context.getRequiredTestClass().getSimpleName()
                    + "-"
                    + context.getRequiredTestMethod().getName()
                    + "-"
                    + context.getDisplayName())
                .replaceAll("[^A-Za-z0-9._-]+", "_")
            + ".png";
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name);
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      System.err.println("screenshot of the failed test: " + file.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      // The browser itself may be what failed; the test's own error says more.
      System.err.println("no screenshot: " + e);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (driver != null) {
      driver.quit();
    }
  }
}
