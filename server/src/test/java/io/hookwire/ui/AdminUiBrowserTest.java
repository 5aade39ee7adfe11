package io.hookwire.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import io.hookwire.testing.ApiClient;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import io.hookwire.verify.Signatures;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin pages in Debian's Chromium, against a real server, store and receiver: what an operator
 * sees must be what the API and the dispatcher actually did.
 */
class AdminUiBrowserTest {
  @RegisterExtension static final Browser browser = new Browser();

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private ChromeDriver driver;
  private TestServer server;
  private RecordingReceiver receiver;

  @BeforeEach
  void setUp() {
    driver = browser.driver();
    driver.manage().window().setSize(Browser.DESKTOP);
    // Cookies are per host, not per port: the last test's server left its session cookie.
    driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
    receiver = new RecordingReceiver();
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    receiver.close();
  }

  // Why this exists: the help article's whole workflow, end to end, as a person does it: create
  // from Account Settings → Webhooks, watch Last Run change, read the request log, pause and
  // resume, rotate the Secret and delete. Each step is checked against what the receiver got.
  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void operatorCreatesWatchesPausesRotatesAndDeletesAWebhook(StoreKind kind) throws Exception {
    server = TestServer.start(kind);
    signIn();
    Cookie session = driver.manage().getCookieNamed(AdminUi.SESSION_COOKIE);
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Strict");
    assertThat(text(".empty")).contains("No webhooks yet");

    driver.findElement(By.linkText("New Webhook")).click();
    waitForHeading("New Webhook");
    assertThat(driver.findElements(By.cssSelector("#f-event optgroup")))
        .extracting(group -> group.getAttribute("label"))
        .containsExactly(
            "Advocacy Events",
            "Publishing Events",
            "Engagement Events",
            "Lead & Conversion Events",
            "Workflow Events",
            "Other Events");
    assertThat(driver.findElements(By.cssSelector("#f-event optgroup option"))).hasSize(19);
    type("f-name", "CRM sync");
    type("f-description", "New leads to the CRM");
    new Select(driver.findElement(By.id("f-event"))).selectByValue("newLead");
    type("f-url", receiver.url("/crm"));
    assertThat(driver.findElement(By.id("f-isEnabled")).isSelected()).isTrue();
    button("Create webhook").click();

    waitForHeading("Webhook created");
    String secret = value("secret-value");
    String standardKey = value("whsec-value");
    assertThat(secret).matches("[0-9a-f]{64}");
    assertThat(standardKey).isEqualTo(Signatures.standardWebhooksKey(secret));
    copyButtonCopies("secret-value", secret);

    driver.findElement(By.linkText("Back to Webhooks")).click();
    waitForHeading("Webhooks");
    WebElement row = row("CRM sync");
    assertThat(cell(row, "Description")).isEqualTo("New leads to the CRM");
    assertThat(cell(row, "Event")).isEqualTo("newLead");
    assertThat(cell(row, "URL")).isEqualTo(receiver.url("/crm"));
    assertThat(cell(row, "Status")).isEqualTo("Enabled");
    assertThat(cell(row, "Last Run (UTC)")).isEqualTo("Never");

    publish("ada@example.com");
    await().atMost(PATIENCE).until(() -> receiver.received().size() == 1);
    RecordingReceiver.Received first = receiver.received().get(0);
    // The Secret the page showed is the one deliveries are signed with, in every scheme.
    assertThat(first.header("X-Oktopost-Secret"))
        .isEqualTo(Signatures.hmacSha1Hex(secret, first.body()));
    assertThatCode(
            () ->
                new com.standardwebhooks.Webhook(standardKey)
                    .verify(first.bodyText(), standardHeaders(first)))
        .doesNotThrowAnyException();

    WebElement lastRun =
        onReload(
            () -> row("CRM sync").findElement(By.cssSelector("td[data-label='Last Run (UTC)'] a")));
    String lastRunText = lastRun.getText();
    assertThat(lastRunText).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    lastRun.click();

    waitForHeading("Request log");
    List<WebElement> entries = driver.findElements(By.cssSelector("table.log tbody tr"));
    assertThat(entries).hasSize(1);
    WebElement entry = entries.get(0);
    assertThat(cell(entry, "Created (UTC)")).isEqualTo(lastRunText);
    assertThat(cell(entry, "Response Code")).isEqualTo("200");
    assertThat(cell(entry, "Attempt")).isEqualTo("1");
    assertThat(cell(entry, "Execution Time")).matches("[0-9.]+ m?s");
    assertThat(entry.findElement(By.cssSelector("td.payload pre")).getText())
        .contains("\"event\": \"newLead\"", "\"email\": \"ada@example.com\"");
    assertThat(cell(entry, "Response")).isEqualTo("status 200");

    driver.findElement(By.linkText("CRM sync")).click();
    waitFor(() -> heading().equals("CRM sync Enabled"));
    type("f-description", "New leads to the CRM, deduplicated");
    button("Save changes").click();
    waitForHeading("Webhooks");
    assertThat(notice()).isEqualTo("Saved “CRM sync”.");
    assertThat(cell(row("CRM sync"), "Description"))
        .isEqualTo("New leads to the CRM, deduplicated");

    openWebhook("CRM sync");
    button("Disable").click();
    waitFor(() -> heading().endsWith("Disabled"));
    assertThat(notice()).startsWith("Disabled “CRM sync”.");
    publish("grace@example.com");
    go("/ui/webhooks");
    assertThat(cell(row("CRM sync"), "Status")).isEqualTo("Disabled 1 held");
    assertThat(receiver.received()).hasSize(1);

    openWebhook("CRM sync");
    assertThat(text(".alert.info")).startsWith("1 payload is held.");
    button("Enable").click();
    waitFor(() -> heading().endsWith("Enabled"));
    assertThat(notice()).isEqualTo("Enabled “CRM sync”. Sending the 1 held payload.");
    await().atMost(PATIENCE).until(() -> receiver.received().size() == 2);
    assertThat(receiver.received().get(1).bodyText()).contains("grace@example.com");

    button("Rotate secret").click();
    new WebDriverWait(driver, PATIENCE).until(ExpectedConditions.alertIsPresent()).accept();
    waitForHeading("Secret rotated");
    String rotated = value("secret-value");
    assertThat(rotated).matches("[0-9a-f]{64}").isNotEqualTo(secret);
    publish("alan@example.com");
    await().atMost(PATIENCE).until(() -> receiver.received().size() == 3);
    RecordingReceiver.Received third = receiver.received().get(2);
    assertThat(third.header("X-Oktopost-Secret"))
        .isEqualTo(Signatures.hmacSha1Hex(rotated, third.body()));
    // Shown once: a reload no longer has it.
    driver.navigate().refresh();
    waitForHeading("Secret of CRM sync");
    assertThat(driver.getPageSource()).doesNotContain(rotated);

    openWebhook("CRM sync");
    driver.findElement(By.linkText("Delete webhook…")).click();
    waitForHeading("Delete “CRM sync”?");
    button("Delete webhook").click();
    waitForHeading("Webhooks");
    assertThat(notice()).isEqualTo("Deleted “CRM sync”.");
    assertThat(text(".empty")).contains("No webhooks yet");
    assertThat(server.api().get("/v2/webhook").json().get("Total").asInt()).isZero();
  }

  @Test
  void invalidWebhookShowsTheApiMessagesNextToTheFields() {
    server = TestServer.start(StoreKind.SQLITE);
    String badUrl = "ftp://example.com/hook";
    String apiUrlMessage =
        server
            .api()
            .postForm("/v2/webhook", Map.of("event", "newLead", "name", "x", "url", badUrl))
            .json()
            .at("/Errors/url/Error")
            .asText();
    signIn();
    go("/ui/webhooks/new");
    type("f-description", "Kept as typed");
    type("f-url", badUrl);
    button("Create webhook").click();

    waitFor(() -> !driver.findElements(By.id("error-summary")).isEmpty());
    assertThat(errorNextTo("f-name")).isEqualTo("name is required");
    assertThat(errorNextTo("f-event")).isEqualTo("event is required");
    assertThat(errorNextTo("f-url")).isEqualTo(apiUrlMessage);
    WebElement url = driver.findElement(By.id("f-url"));
    assertThat(url.getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(url.getAttribute("aria-describedby")).contains("f-url-error");
    assertThat(value("f-url")).isEqualTo(badUrl);
    assertThat(value("f-description")).isEqualTo("Kept as typed");
    // Focus moves to the summary, so a screen reader announces what went wrong.
    assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("error-summary");
    assertThat(server.api().get("/v2/webhook").json().get("Total").asInt()).isZero();

    String id = createWebhook("Existing", "newLead", "https://example.com/hook");
    go("/ui/webhooks/" + id);
    driver.findElement(By.id("f-name")).clear();
    button("Save changes").click();
    waitFor(() -> !driver.findElements(By.id("error-summary")).isEmpty());
    assertThat(errorNextTo("f-name")).isEqualTo("name must not be empty");
    assertThat(server.api().get("/v2/webhook/" + id).json().at("/Webhook/Name").asText())
        .isEqualTo("Existing");
  }

  @Test
  void signInWithAWrongKeyShowsAnError() {
    server = TestServer.start(StoreKind.SQLITE);
    go("/ui/sign-in");
    assertThat(labelOf("accountId")).isEqualTo("Account ID");
    assertThat(labelOf("apiKey")).isEqualTo("API Key");
    type("accountId", server.accountId);
    type("apiKey", "not-the-right-key");
    button("Sign in").click();

    waitFor(() -> !driver.findElements(By.cssSelector(".alert.error")).isEmpty());
    assertThat(text(".alert.error"))
        .isEqualTo("That Account ID and API Key do not match an account.");
    assertThat(value("accountId")).isEqualTo(server.accountId);
    assertThat(value("apiKey")).isEmpty();
    assertThat(driver.manage().getCookieNamed(AdminUi.SESSION_COOKIE)).isNull();
    go("/ui/webhooks");
    waitForHeading("Sign in to Hookwire");
  }

  @Test
  void formWithoutItsCsrfTokenIsRefused() {
    server = TestServer.start(StoreKind.SQLITE);
    signIn();
    go("/ui/webhooks/new");
    type("f-name", "CRM");
    new Select(driver.findElement(By.id("f-event"))).selectByValue("newLead");
    type("f-url", "https://example.com/hook");
    driver.executeScript("document.querySelector('main form input[name=csrf]').remove()");
    button("Create webhook").click();

    waitForHeading("Refused");
    assertThat(text("main p")).contains("nothing was changed");
    assertThat(server.api().get("/v2/webhook").json().get("Total").asInt()).isZero();
  }

  @Test
  void signOutReturnsToTheSignInPage() {
    server = TestServer.start(StoreKind.SQLITE);
    signIn();
    button("Sign out").click();

    waitForHeading("Sign in to Hookwire");
    assertThat(text(".alert.success")).isEqualTo("You are signed out.");
    go("/ui/webhooks");
    waitForHeading("Sign in to Hookwire");
  }

  @Test
  void requestLogPagesThroughOlderRequestsAndResendsFailedOnes() {
    server = TestServer.start(StoreKind.SQLITE);
    receiver.answerByDefault(RecordingReceiver.Answer.status(500));
    String id = createWebhook("Flaky CRM", "newLead", receiver.url("/flaky"));
    for (int i = 1; i <= 6; i++) {
      publish("lead" + i + "@example.com");
    }
    // Four attempts each (the first and three retries), recorded with the final state at once.
    await()
        .atMost(PATIENCE)
        .until(() -> server.api().get("/v2/webhook-log/" + id).json().get("Total").asInt() == 24);

    signIn();
    row("Flaky CRM").findElement(By.cssSelector("td[data-label='Last Run (UTC)'] a")).click();
    waitForHeading("Request log");
    assertThat(text("main > p.muted")).isEqualTo("24 requests, newest first");
    assertThat(driver.findElements(By.cssSelector("table.log tbody tr"))).hasSize(20);
    assertThat(text(".pager")).contains("Page 1 of 2");
    WebElement newest = driver.findElement(By.cssSelector("table.log tbody tr"));
    assertThat(cell(newest, "Response Code")).isEqualTo("500");
    assertThat(cell(newest, "Response")).isEqualTo("status 500");

    driver.findElement(By.partialLinkText("Older")).click();
    waitFor(() -> text(".pager").contains("Page 2 of 2"));
    List<WebElement> oldest = driver.findElements(By.cssSelector("table.log tbody tr"));
    assertThat(oldest).hasSize(4);
    assertThat(cell(oldest.get(3), "Attempt")).isEqualTo("1");

    receiver.answerByDefault(RecordingReceiver.Answer.status(200));
    button("Resend failed (6)").click();
    new WebDriverWait(driver, PATIENCE).until(ExpectedConditions.alertIsPresent()).accept();
    waitForHeading("Request log");
    assertThat(notice()).startsWith("Sending 6 failed payloads again.");
    onReload(
        () -> {
          List<WebElement> delivered =
              driver.findElements(By.xpath("//td[@data-label='Response Code'][.='200']"));
          if (delivered.size() != 6) {
            throw new AssertionError(delivered.size() + " delivered so far");
          }
          return delivered.get(0);
        });
    assertThat(text("main > p.muted")).isEqualTo("30 requests, newest first");
    assertThat(driver.findElements(By.xpath("//button[starts-with(., 'Resend failed')]")))
        .isEmpty();
  }

  @Test
  void markupInANameIsShownAsTextAndNeverRuns() {
    server = TestServer.start(StoreKind.SQLITE);
    String name = "<img src=x onerror=\"document.title='pwned'\">";
    createWebhook(name, "newLead", "https://example.com/hook");
    signIn();

    assertThat(driver.getTitle()).isEqualTo("Webhooks · Hookwire");
    assertThat(driver.findElement(By.cssSelector("td[data-label='Name'] a")).getText())
        .isEqualTo(name);
    assertThat(driver.findElements(By.cssSelector("main img"))).isEmpty();
  }

  @Test
  void narrowScreenNeedsNoSidewaysScrolling() {
    server = TestServer.start(StoreKind.SQLITE);
    String id =
        createWebhook(
            "Lead sync with a rather long name",
            "newLead",
            receiver.url("/a/very/long/path/that/does/not/fit/on/a/phone/screen/at/all/really"));
    createWebhook("Archive", "postSent", "https://archive.example.com/hooks/oktopost/posts/sent");
    publish("narrow@example.com");
    await()
        .atMost(PATIENCE)
        .until(() -> server.api().get("/v2/webhook-log/" + id).json().get("Total").asInt() == 1);
    signIn();
    driver.manage().window().setSize(new Dimension(390, 844));

    for (String path :
        List.of(
            "/ui/webhooks",
            "/ui/webhooks/" + id + "/log",
            "/ui/webhooks/new",
            "/ui/webhooks/" + id)) {
      go(path);
      long viewport = (Long) driver.executeScript("return window.innerWidth");
      long content = (Long) driver.executeScript("return document.documentElement.scrollWidth");
      assertThat(viewport).as("the window really is narrow").isLessThanOrEqualTo(420);
      assertThat(content).as(path).isLessThanOrEqualTo(viewport);
    }
    go("/ui/webhooks");
    // Each row becomes a card with the column names as labels.
    assertThat(driver.findElement(By.cssSelector("td[data-label='URL']")).getCssValue("display"))
        .isEqualTo("block");
  }

  @Test
  void keyboardAloneCreatesAWebhook() {
    server = TestServer.start(StoreKind.SQLITE);
    signIn();
    Actions keys = new Actions(driver);

    keys.sendKeys(Keys.TAB).perform();
    assertThat(driver.switchTo().activeElement().getText()).isEqualTo("Skip to content");
    WebElement focused = tabUntil(e -> e.getText().equals("New Webhook"), 12);
    assertThat(focused.getCssValue("outline-style")).as("visible focus").isNotEqualTo("none");
    keys.sendKeys(Keys.ENTER).perform();
    waitForHeading("New Webhook");

    for (WebElement control :
        driver.findElements(
            By.cssSelector("main form input:not([type=hidden]), main select, main textarea"))) {
      String id = control.getAttribute("id");
      assertThat(driver.findElements(By.cssSelector("label[for='" + id + "']")))
          .as("label of " + id)
          .hasSize(1);
    }
    tabUntil(e -> "f-name".equals(e.getAttribute("id")), 12);
    keys.sendKeys("Keyboard hook").perform();
    keys.sendKeys(Keys.TAB, "Made without a mouse").perform();
    keys.sendKeys(Keys.TAB).perform();
    assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("f-event");
    new Select(driver.switchTo().activeElement()).selectByValue("newLead");
    keys.sendKeys(Keys.TAB, "https://example.com/keyboard", Keys.ENTER).perform();

    waitForHeading("Webhook created");
    assertThat(server.api().get("/v2/webhook").json().at("/Items/0/Name").asText())
        .isEqualTo("Keyboard hook");
  }

  // Steps

  private void signIn() {
    go("/ui/sign-in");
    type("accountId", server.accountId);
    type("apiKey", server.apiKey);
    button("Sign in").click();
    waitForHeading("Webhooks");
  }

  private void go(String path) {
    driver.get(server.baseUrl() + path);
  }

  private void openWebhook(String name) {
    go("/ui/webhooks");
    row(name).findElement(By.cssSelector("td[data-label='Name'] a")).click();
    waitFor(() -> heading().startsWith(name));
  }

  private void publish(String email) {
    ApiClient.Answer answer =
        server
            .api()
            .postJson(
                "/v2/event", "{\"event\":\"newLead\",\"data\":{\"email\":\"" + email + "\"}}");
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
  }

  private String createWebhook(String name, String event, String url) {
    ApiClient.Answer answer =
        server.api().postForm("/v2/webhook", Map.of("name", name, "event", event, "url", url));
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return answer.json().at("/Webhook/Id").asText();
  }

  private void copyButtonCopies(String inputId, String expected) {
    driver.executeCdpCommand(
        "Browser.grantPermissions",
        Map.of(
            "origin",
            server.baseUrl(),
            "permissions",
            List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    WebElement copy = driver.findElement(By.cssSelector("button[data-copy='" + inputId + "']"));
    assertThat(copy.isDisplayed()).isTrue();
    copy.click();
    waitFor(() -> copy.getText().equals("Copied"));
    Object clipboard =
        driver.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "navigator.clipboard.readText().then(done, e => done('failed: ' + e));");
    assertThat(clipboard).isEqualTo(expected);
  }

  // Reading the page

  private WebElement tabUntil(java.util.function.Predicate<WebElement> wanted, int most) {
    Actions keys = new Actions(driver);
    for (int i = 0; i < most; i++) {
      keys.sendKeys(Keys.TAB).perform();
      WebElement active = driver.switchTo().activeElement();
      if (wanted.test(active)) {
        return active;
      }
    }
    throw new AssertionError("not reached with " + most + " presses of Tab");
  }

  private WebElement button(String label) {
    return driver.findElement(By.xpath("//button[normalize-space()='" + label + "']"));
  }

  private WebElement row(String name) {
    return driver.findElement(
        By.xpath(
            "//table//tr[td[@data-label='Name']/a[normalize-space()=" + xpathLiteral(name) + "]]"));
  }

  private static String cell(WebElement row, String label) {
    return row.findElement(By.cssSelector("td[data-label='" + label + "']")).getText();
  }

  private String errorNextTo(String controlId) {
    return driver
        .findElement(
            By.xpath(
                "//*[@id='"
                    + controlId
                    + "']/ancestor::div[contains(@class,'field')][1]//p[@class='field-error']"))
        .getText();
  }

  private String labelOf(String controlId) {
    return driver.findElement(By.cssSelector("label[for='" + controlId + "']")).getText();
  }

  private String heading() {
    // The status badge sits beside the name: "CRM sync Enabled", whatever the line breaks.
    return driver.findElement(By.tagName("h1")).getText().replaceAll("\\s+", " ");
  }

  private String notice() {
    return text("main .alert[role=status]");
  }

  private String text(String css) {
    return driver.findElement(By.cssSelector(css)).getText();
  }

  private String value(String id) {
    return driver.findElement(By.id(id)).getDomProperty("value");
  }

  private void type(String id, String text) {
    WebElement input = driver.findElement(By.id(id));
    input.clear();
    input.sendKeys(text);
  }

  private void waitForHeading(String text) {
    waitFor(() -> heading().equals(text));
  }

  private void waitFor(Supplier<Boolean> condition) {
    new WebDriverWait(driver, PATIENCE)
        .until(
            d -> {
              try {
                return condition.get();
              } catch (WebDriverException e) {
                if (readDuringNavigation(e)) {
                  return false;
                }
                throw e;
              }
            });
  }

  /**
   * An element found on the page being left: Chrome reports it as stale or, when the new document
   * arrives between finding and reading, as a node that "does not belong to the document".
   */
  private static boolean readDuringNavigation(WebDriverException e) {
    return e instanceof StaleElementReferenceException
        || String.valueOf(e.getMessage()).contains("does not belong to the document");
  }

  /** Reloads the page until {@code find} finds what it looks for: the pages do not poll. */
  private WebElement onReload(Supplier<WebElement> find) {
    AtomicReference<WebElement> found = new AtomicReference<>();
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(300))
        .ignoreExceptions()
        .until(
            () -> {
              driver.navigate().refresh();
              found.set(find.get());
              return true;
            });
    return found.get();
  }

  private static String xpathLiteral(String s) {
    if (!s.contains("'")) {
      return "'" + s + "'";
    }
    return "concat('" + s.replace("'", "', \"'\", '") + "')";
  }

  private static HttpHeaders standardHeaders(RecordingReceiver.Received r) {
    return HttpHeaders.of(
        Map.of(
            "webhook-id", List.of(r.header("webhook-id")),
            "webhook-timestamp", List.of(r.header("webhook-timestamp")),
            "webhook-signature", List.of(r.header("webhook-signature"))),
        (name, value) -> true);
  }
}
