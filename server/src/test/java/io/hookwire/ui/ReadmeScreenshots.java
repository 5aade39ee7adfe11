package io.hookwire.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookwire.security.ApiKeys;
import io.hookwire.testing.ApiClient;
import io.hookwire.testing.RecordingReceiver;
import io.hookwire.testing.StoreKind;
import io.hookwire.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Writes the README's screenshots of the admin pages to {@code docs/images/}. Not a test: run it on
 * purpose after the pages change, with {@code -Dtest=ReadmeScreenshots
 * -Dhookwire.screenshots=true}.
 */
@EnabledIfSystemProperty(named = "hookwire.screenshots", matches = "true")
class ReadmeScreenshots {
  @RegisterExtension static final Browser browser = new Browser();

  private static final Path IMAGES = Path.of("..", "docs", "images");

  @Test
  void writeScreenshots() throws Exception {
    try (TestServer server = TestServer.start(StoreKind.SQLITE);
        RecordingReceiver receiver = new RecordingReceiver()) {
      String apiKey = ApiKeys.generate();
      String accountId =
          server
              .server
              .store()
              .createAccount("Acme Marketing", ApiKeys.hash(apiKey), Instant.now())
              .id();
      ApiClient api = new ApiClient(server.baseUrl(), accountId, apiKey);

      // The first delivery fails once and succeeds on its retry, so the log shows both.
      receiver.enqueue(RecordingReceiver.Answer.status(503));
      String crm =
          create(
              api,
              Map.of(
                  "name", "CRM leads",
                  "description", "New leads into the CRM",
                  "event", "newLead",
                  "url", receiver.url("/leads")));
      create(
          api,
          Map.of(
              "name", "Slack assignments",
              "description", "Tell #inbox when a conversation is assigned",
              "event", "newAssignment",
              "url", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXX"));
      create(
          api,
          Map.of(
              "name", "Post archive",
              "description", "Keep a copy of everything published",
              "event", "postSent",
              "url", "https://archive.example.com/oktopost/posts",
              "isEnabled", "0"));
      publish(
          api,
          "newLead",
          "{\"email\":\"ada@example.com\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\","
              + "\"source\":\"LinkedIn\",\"campaignId\":\"002000000000001\"}");
      publish(
          api,
          "newLead",
          "{\"email\":\"grace@example.com\",\"firstName\":\"Grace\",\"lastName\":\"Hopper\","
              + "\"source\":\"Twitter\",\"campaignId\":\"002000000000001\"}");
      publish(
          api,
          "postSent",
          "{\"postId\":\"0PL000000000001\",\"network\":\"LinkedIn\",\"sentAt\":\"2026-11-20"
              + " 10:30:00\"}");
      publish(
          api,
          "postSent",
          "{\"postId\":\"0PL000000000002\",\"network\":\"Facebook\",\"sentAt\":\"2026-11-20"
              + " 11:05:00\"}");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> api.get("/v2/webhook-log/" + crm).json().get("Total").asInt() == 3);
      // Shown with the address it would have in production rather than the test receiver's.
      api.postForm(
          "/v2/webhook/" + crm, Map.of("url", "https://crm.example.com/hooks/oktopost/leads"));

      ChromeDriver driver = browser.driver();
      driver.manage().window().setSize(new Dimension(1280, 560));
      driver.get(server.baseUrl() + "/ui/sign-in");
      driver.findElement(By.id("accountId")).sendKeys(accountId);
      driver.findElement(By.id("apiKey")).sendKeys(apiKey);
      driver.findElement(By.cssSelector("main button[type=submit]")).click();
      driver.findElement(By.cssSelector("table.webhooks"));
      Files.createDirectories(IMAGES);
      wholePage(driver, IMAGES.resolve("webhooks.png"));

      driver.get(server.baseUrl() + "/ui/webhooks/" + crm + "/log");
      assertThat(driver.findElements(By.cssSelector("table.log tbody tr"))).hasSize(3);
      wholePage(driver, IMAGES.resolve("request-log.png"));
    }
  }

  /** The window made as tall as the page, so the picture has all of it and no scroll bar. */
  private static void wholePage(ChromeDriver driver, Path file) throws java.io.IOException {
    long chrome = (Long) driver.executeScript("return window.outerHeight - window.innerHeight");
    long height = (Long) driver.executeScript("return document.documentElement.scrollHeight");
    driver.manage().window().setSize(new Dimension(1280, (int) (height + chrome)));
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
  }

  private static String create(ApiClient api, Map<String, String> form) {
    ApiClient.Answer answer = api.postForm("/v2/webhook", form);
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return answer.json().at("/Webhook/Id").asText();
  }

  private static void publish(ApiClient api, String event, String data) {
    ApiClient.Answer answer =
        api.postJson("/v2/event", "{\"event\":\"" + event + "\",\"data\":" + data + "}");
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
  }
}
