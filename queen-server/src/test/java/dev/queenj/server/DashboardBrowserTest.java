package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.queenj.http.auth.JwtConfig;
import dev.queenj.server.kafka.KafkaClients;
import dev.queenj.server.TestServer.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard at {@code /} in a real browser (Debian's chromium, headless, driven through its chromedriver) against
 * the shared test server with real data: what the page shows is what the API says, and its actions change what the
 * API answers. One browser for the class. Skipped, saying so, where chromium or chromedriver is not installed (CI
 * installs both).
 */
@ExtendWith(RunningServer.class)
class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** Longer than the page's 5 s refresh: the server reuses sizes for 5 s, so a new queue shows within two polls. */
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static ChromeDriver browser;
  private static Path profile;

  private final TestServer server;
  private final Api client;

  DashboardBrowserTest(TestServer server, Api client) {
    this.server = server;
    this.client = client;
  }

  @BeforeAll
  static void startBrowser() throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "skipped: the dashboard's browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
            + " (apt-get install chromium chromium-driver)");
    Files.createDirectories(Path.of("target"));
    profile = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "chromium-profile-");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1000",
        "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (UncheckedIOException gone) {
        // chromium may still be removing its own files; the directory is under target/ anyway
      }
    }
  }

  @Test
  void overviewShowsThePushedCounts() {
    // given
    client.push("dash-orders", "p1", "o1", "o2");
    client.push("dash-orders", "p2", "o3");

    // when
    open("/#/");

    // then: the queue's row counts its three pushes (throughput is read fresh; the list of queues may be 5 s old) and
    // its depth: three pending, none processing (counts shared for 5 s, a new queue counted at once)
    waitForText(By.cssSelector("tr[data-queue='dash-orders'] td.pushed"), "3"::equals);
    waitForText(By.cssSelector("tr[data-queue='dash-orders'] td.pending"), "3"::equals);
    waitForText(By.cssSelector("tr[data-queue='dash-orders'] td.processing"), "0"::equals);
    long overall = server.get("/api/v1/status").body().get("throughput").get("lastHour").get("pushed").asLong();
    assertThat(overall).isGreaterThanOrEqualTo(3);
    waitForText(By.id("ov-pushed"), shown -> number(shown) >= 3);
    assertThat(browser.findElements(By.cssSelector(".chart svg polyline"))).hasSize(5);
  }

  @Test
  void aQueuesPartitionsAndMessagesAreListedWithTheirPayloadOnDemand() {
    // given
    client.push("dash-list", "p1", "m1", "m2", "m3");
    client.push("dash-list", "p2", "m4");

    // when: the queue's page, then its partition p1's messages
    open("/#/queues/dash-list");
    waitFor(By.cssSelector("tr[data-partition='p2']"));
    browser.findElement(By.cssSelector("tr[data-partition='p1'] a")).click();

    // then
    wait(d -> d.findElements(By.cssSelector("main[data-view='messages'] tr[data-tx]")).size() == 3);
    assertThat(texts(By.cssSelector("tr[data-tx] td:nth-child(3)"))).containsExactly("m3", "m2", "m1");
    assertThat(texts(By.cssSelector("tr[data-tx] td.status"))).containsOnly("pending");
    browser.findElement(By.cssSelector("tr[data-tx='m2'] button[data-act='payload']")).click();
    WebElement payload = waitFor(By.cssSelector("tr.payload pre"));
    assertThat(payload.getText()).contains("\"id\": \"m2\"");
  }

  @Test
  void aDlqRequeueMovesAMessageBackAndADiscardRemovesOneWithoutAMessage() {
    // given: d1 and d2 sent to the dead-letter queue by queue mode
    client.push("dash-dlq", "p1", "d1", "d2");
    client.ackAll(client.popPartition("dash-dlq", "p1", "batch=10"), "__QUEUE_MODE__", "dlq");
    assertThat(client.popPartition("dash-dlq", "p1", "batch=1").get("messages")).isEmpty();

    // when
    open("/#/dlq?queue=dash-dlq");
    waitFor(By.cssSelector("tr[data-tx='d1'] button.requeue")).click();

    // then: the dead letter is gone from the page and from /dlq, and a pop delivers the message again
    wait(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Requeued into dash-dlq/p1"));
    wait(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("tr[data-tx='d1']")));
    assertThat(texts(By.cssSelector("tr[data-tx]"))).hasSize(1);
    assertThat(dlqTotal("dash-dlq")).isEqualTo(1);
    JsonNode popped = client.popPartition("dash-dlq", "p1", "batch=10");
    assertThat(popped.get("messages")).hasSize(1);
    assertThat(popped.get("messages").get(0).get("transactionId").asText()).isNotEqualTo("d1");
    assertThat(popped.get("messages").get(0).get("data").get("id").asText()).isEqualTo("d1");
    client.ackAll(popped, "__QUEUE_MODE__", "completed");

    // when: d2 is discarded, confirmed
    waitFor(By.cssSelector("tr[data-tx='d2'] button.discard")).click();
    wait(ExpectedConditions.alertIsPresent()).accept();

    // then: gone from the page and from /dlq, and nothing came back
    wait(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Discarded d2"));
    wait(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("tr[data-tx='d2']")));
    assertThat(dlqTotal("dash-dlq")).isZero();
    assertThat(client.popPartition("dash-dlq", "p1", "batch=10").get("messages")).isEmpty();
  }

  @Test
  void aTracePostedThroughTheApiIsShownOnItsMessagesTrail() {
    // given
    String partitionId = client.push("dash-trace", "p1", "tr1");
    Reply posted = server.post("/api/v1/traces", "{\"transactionId\":\"tr1\",\"partitionId\":\"" + partitionId
        + "\",\"data\":{\"step\":\"charged\",\"amount\":42},\"eventType\":\"processing\","
        + "\"traceNames\":[\"order-7\"]}");
    assertThat(posted.body().get("success").asBoolean()).as("trace answer %s", posted.body()).isTrue();

    // when: from the trace names, to the name, to the message's trail
    open("/#/traces");
    waitFor(By.linkText("order-7")).click();
    waitFor(By.linkText("dash-trace / p1 / tr1")).click();

    // then
    WebElement data = waitFor(By.cssSelector("main[data-view='trace'] tr.trace pre.trace-data"));
    assertThat(data.getText()).contains("\"step\": \"charged\"").contains("\"amount\": 42");
    assertThat(browser.findElement(By.cssSelector("main[data-view='trace'] tr.trace")).getText())
        .contains("processing").contains("order-7");
  }

  @Test
  void aGroupIsSeekedToTheEndAndDeletedFromTheGroupsView() {
    // given: billing consumed the first of three messages
    client.push("dash-grp", "p1", "g1", "g2", "g3");
    JsonNode first = client.popPartition("dash-grp", "p1", "batch=1&consumerGroup=billing");
    client.ackAll(first, "billing", "completed");

    // when: seek to the end
    open("/#/groups");
    waitFor(By.cssSelector("tr[data-group='billing'] button[data-act='seek-end']")).click();
    wait(ExpectedConditions.alertIsPresent()).accept();

    // then
    wait(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Seek: 1 partitions moved"));
    assertThat(client.popPartition("dash-grp", "p1", "batch=10&consumerGroup=billing").get("messages")).isEmpty();
    // and the group's own page shows partition p1 with nothing left to consume
    waitFor(By.linkText("billing")).click();
    WebElement partition = waitFor(By.cssSelector("main[data-view='group'] tbody tr"));
    assertThat(partition.findElements(By.tagName("td"))).extracting(WebElement::getText)
        .startsWith("p1").contains("0");
    assertThat(partition.findElements(By.tagName("td")).get(4).getText()).isEqualTo("0"); // lag in messages

    // when: delete it, from the groups view
    open("/#/groups");
    waitFor(By.cssSelector("tr[data-group='billing'] button[data-act='delete-group']")).click();
    wait(ExpectedConditions.alertIsPresent()).accept();

    // then
    wait(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Deleted consumer group billing"));
    assertThat(server.get("/api/v1/consumer-groups").body()).extracting(g -> g.get("name").asText())
        .doesNotContain("billing");
  }

  @Test
  void popMaintenanceIsTurnedOnAndOff() {
    try {
      open("/#/maintenance");
      waitFor(By.cssSelector("button[data-path='/system/maintenance/pop']")).click();
      wait(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("td.pop-state"), "on"));
      assertThat(server.get("/api/v1/system/maintenance/pop").body().get("popMaintenanceMode").asBoolean()).isTrue();

      waitFor(By.cssSelector("button[data-path='/system/maintenance/pop']")).click();
      wait(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("td.pop-state"), "off"));
      assertThat(server.get("/api/v1/system/maintenance/pop").body().get("popMaintenanceMode").asBoolean()).isFalse();
    } finally {
      server.post("/api/v1/system/maintenance/pop", "{\"enabled\":false}"); // other test classes pop on this server
    }
  }

  @Test
  void withJwtOnThePageLoadsAndItsCallsCarryThePastedToken() {
    String secret = "a-dashboard-secret-of-at-least-32-bytes";
    JwtConfig jwt = new JwtConfig(true, "HS256", secret, "", "", JwtConfig.DEFAULT_JWKS_REFRESH_SECONDS,
        JwtConfig.DEFAULT_JWKS_TIMEOUT_MS, "", "", JwtConfig.DEFAULT_CLOCK_SKEW_SECONDS,
        JwtConfig.skipPathList(JwtConfig.DEFAULT_SKIP_PATHS), JwtConfig.DEFAULT_ROLES_CLAIM,
        JwtConfig.DEFAULT_ROLES_ARRAY_CLAIM, JwtConfig.DEFAULT_ROLE_ADMIN, JwtConfig.DEFAULT_ROLE_READ_WRITE,
        JwtConfig.DEFAULT_ROLE_READ_ONLY);
    try (TestServer secured = TestServer.start(TestServer.defaultHttp().withJwt(jwt))) {
      // without a token: the page loads, its API calls are refused, and it says what to do
      browser.get(secured.uri("/#/").toString());
      wait(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Authentication required"));

      // a read-only token: the overview loads; maintenance needs admin
      WebElement field = browser.findElement(By.id("token"));
      field.clear();
      field.sendKeys(token(secret, "read-only"));
      browser.findElement(By.cssSelector("#token-form button")).click();
      assertThat(number(waitFor(By.id("ov-queues")).getText())).isNotNegative();
      browser.get(secured.uri("/#/maintenance").toString());
      wait(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Insufficient permissions"));
    } finally {
      ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("localStorage.clear()");
    }
  }

  private static String token(String secret, String role) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("operator").claim("role", role)
        .expirationTime(Date.from(Instant.now().plusSeconds(600))).build();
    SignedJWT signed = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      signed.sign(new MACSigner(secret));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return signed.serialize();
  }

  @Test
  void aKafkaTopicAppearsLikeAQueue() throws Exception {
    // given: two records produced by a Kafka producer
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      for (String value : List.of("k1", "k2")) {
        producer.send(new ProducerRecord<>("dash-kafka", 0, null, value.getBytes(StandardCharsets.UTF_8)))
            .get(15, TimeUnit.SECONDS);
      }
    }

    // when / then: the topic is a queue on the overview, its records counted as pushed, and they are listed
    open("/#/");
    waitForText(By.cssSelector("tr[data-queue='dash-kafka'] td.pushed"), "2"::equals);
    browser.findElement(By.linkText("dash-kafka")).click();
    waitFor(By.cssSelector("main[data-view='queue'] a[href='#/queues/dash-kafka/messages']")).click();
    wait(d -> d.findElements(By.cssSelector("main[data-view='messages'] tr[data-tx]")).size() == 2);
  }

  @Test
  void aKafkaConsumerGroupAppearsInTheGroupViewsWithItsLag() throws Exception {
    // given: five records on partition 0 of a topic; a Kafka group committed offset 2, so 3 are left
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      for (int i = 0; i < 5; i++) {
        producer.send(new ProducerRecord<>("dash-ktopic", 0, null, ("r" + i).getBytes(StandardCharsets.UTF_8)))
            .get(15, TimeUnit.SECONDS);
      }
    }
    TopicPartition p0 = new TopicPartition("dash-ktopic", 0);
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server, Map.of(
        ConsumerConfig.GROUP_ID_CONFIG, "dash-kgroup", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
      consumer.assign(List.of(p0));
      consumer.commitSync(Map.of(p0, new OffsetAndMetadata(2)));
    }

    // when / then: the groups view lists it, tagged kafka, with 3 messages of lag and no cursor actions
    open("/#/groups");
    By row = By.cssSelector("main[data-view='groups'] tr[data-group='dash-kgroup'][data-protocol='kafka']");
    List<String> cells = waitFor(row).findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
    assertThat(cells.get(0)).isEqualTo("dash-kgroup kafka");
    assertThat(cells.get(1)).isEqualTo("dash-ktopic");
    assertThat(cells.get(6)).as("lag in messages").isEqualTo("3");
    assertThat(browser.findElement(row).findElements(By.cssSelector("button[data-act^='seek']"))).isEmpty();
    // and the overview's lag table, and the group's page per Kafka partition
    open("/#/");
    waitForText(By.cssSelector("main[data-view='overview'] tr[data-group='dash-kgroup'][data-protocol='kafka']"),
        text -> text.contains("dash-ktopic") && text.contains(" 3 "));
    open("/#/groups/dash-kgroup");
    WebElement partition = waitFor(By.cssSelector("main[data-view='group'] tr[data-protocol='kafka']"));
    List<String> partitionCells = partition.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
    assertThat(partitionCells.get(0)).isEqualTo("0 kafka");
    assertThat(partitionCells.get(4)).as("lag in messages").isEqualTo("3");
    assertThat(partition.findElements(By.tagName("button"))).isEmpty();

    // when: its consumer is gone, so it is Empty: its committed offsets are deleted from the groups view
    open("/#/groups");
    assertThat(waitFor(row).findElements(By.tagName("td")).get(3).getText()).isEqualTo("Empty");
    browser.findElement(row).findElement(By.cssSelector("button[data-act='delete-kafka-group']")).click();
    wait(ExpectedConditions.alertIsPresent()).accept();

    // then
    wait(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"),
        "Deleted Kafka consumer group dash-kgroup (1 committed offsets)"));
    assertThat(server.get("/api/v1/consumer-groups").body()).extracting(g -> g.get("name").asText())
        .doesNotContain("dash-kgroup");
  }

  private void open(String path) {
    browser.get(server.uri(path).toString());
  }

  private static WebElement waitFor(By locator) {
    return wait(ExpectedConditions.visibilityOfElementLocated(locator));
  }

  /** Waits until the element, found anew each time (the overview re-renders every 5 s), shows what is wanted. */
  private static void waitForText(By locator, java.util.function.Predicate<String> shown) {
    wait(d -> d.findElements(locator).stream().anyMatch(e -> {
      try {
        return shown.test(e.getText());
      } catch (org.openqa.selenium.StaleElementReferenceException replaced) {
        return false;
      }
    }));
  }

  private static <T> T wait(java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
    return new WebDriverWait(browser, WAIT).until(condition);
  }

  private static List<String> texts(By locator) {
    List<String> texts = new ArrayList<>();
    browser.findElements(locator).forEach(e -> texts.add(e.getText()));
    return texts;
  }

  private long dlqTotal(String queue) {
    return server.get("/api/v1/dlq?queue=" + queue).body().get("pagination").get("total").asLong();
  }

  private static long number(String shown) {
    return Long.parseLong(shown.replace(",", ""));
  }
}
