package io.busbar.bootstrap.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.busbar.bootstrap.buffer.EmbeddedBuffer;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.demo.DemoFiles;
import io.busbar.bootstrap.support.Http;
import io.busbar.bootstrap.support.ReadingsFile;
import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.wire.ReadingCodec;
import io.busbar.routes.BufferLayout;
import io.busbar.routes.delivery.DeadLetter;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page at {@code /} in headless Chromium, on the demo's pair: it shows the primary
 * active, shows the switch to the secondary within 2 s of the primary stopping, and replays a dead
 * letter with its button. Screenshots: {@code bootstrap/target/status-page-*.png}.
 */
class StatusPageIT extends StatusPageTestBase {

    private static final Duration SWITCH_SHOWN_WITHIN = Duration.ofSeconds(2);
    private static final String TARGET = "readings-file";
    private static final String REPLAYED_METER = "ReplayedMeter";

    @Test
    void pageShowsTheSwitchWithin2s_andReplaysADeadLetterWithItsButton() throws Exception {
        session = new StatusPageSession(3, false);
        Path config = DemoFiles.write(dir, session.primary.endpointUrl(), session.secondary.endpointUrl(), 3);
        int port = session.startBusbar(ConfigFile.load(config));
        Http http = new Http(port);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                http.getJson("/actuator/redundancy/demo").path("active").asText().equals("primary"));
        sendDeadLetter();

        ChromeDriver browser = session.openPage(dir, port);
        WebDriverWait page = new WebDriverWait(browser, Duration.ofSeconds(15));
        page.until(ExpectedConditions.textToBe(By.cssSelector("[data-pair=demo] .active"), "primary"));
        page.until(ExpectedConditions.textToBe(By.cssSelector("[data-target=" + TARGET + "] .dead-letters"), "1"));
        // a loaded machine can make a server late for a moment (DEGRADED outranks the dead letter): wait it out
        page.until(ExpectedConditions.textMatches(By.id("verdict"), java.util.regex.Pattern.compile("^Needs attention")));
        assertThat(browser.findElement(By.id("problems")).getText()).contains("Target " + TARGET + " has 1 dead letters");

        Instant stopped = Instant.now();
        assertThat(http.post("/demo/servers/primary/stop", "").statusCode()).isEqualTo(200);
        new WebDriverWait(browser, SWITCH_SHOWN_WITHIN, Duration.ofMillis(50))
                .until(ExpectedConditions.textToBe(By.cssSelector("[data-pair=demo] .active"), "secondary"));
        System.out.printf("status page: secondary shown active %d ms after the primary stopped%n",
                Duration.between(stopped, Instant.now()).toMillis());
        page.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-pair=demo] .last-switchover"), "primary → secondary"));
        assertThat(browser.findElement(By.id("problems")).getText()).contains("standby primary server is unhealthy: not connected");
        screenshot(browser, "after-switch");

        // the page redraws every second, so a button found just before a redraw is gone: find it again
        page.ignoring(StaleElementReferenceException.class).until(driver -> {
            driver.findElement(By.cssSelector("button.replay[data-name=" + TARGET + "]")).click();
            return true;
        });
        page.until(ExpectedConditions.alertIsPresent()).accept();
        page.until(ExpectedConditions.textToBe(By.cssSelector("[data-target=" + TARGET + "] .dead-letters"), "0"));
        assertThat(browser.findElement(By.id("action-result")).getText()).contains("replay " + TARGET + ": 1 messages, 0 remaining");
        await().atMost(Duration.ofSeconds(15)).until(() -> ReadingsFile.read(dir.resolve(DemoFiles.READINGS)).stream()
                .anyMatch(reading -> reading.meter().equals(REPLAYED_METER)));
        screenshot(browser, "after-replay");

        browser.manage().window().setSize(new Dimension(390, 844)); // a phone
        page.until(ExpectedConditions.textToBe(By.cssSelector("[data-pair=demo] .active"), "secondary"));
        assertThat((Boolean) browser.executeScript("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("no sideways scrolling of the page on a phone (wide tables scroll in their card)").isTrue();
        screenshot(browser, "phone");
    }

    /** A reading the file target refused for good, as the delivery route would dead-letter it. */
    private static void sendDeadLetter() throws Exception {
        Instant at = Instant.now().minusSeconds(60);
        Reading reading = new Reading("demo|" + REPLAYED_METER + "|energy|" + at.toEpochMilli(), "demo", ServerRole.PRIMARY,
                REPLAYED_METER, "energy", BigDecimal.ONE, "kWh", BigDecimal.ONE, at, at, Quality.GOOD, 0);
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(EmbeddedBuffer.IN_VM_URL);
             Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            BytesMessage message = session.createBytesMessage();
            message.writeBytes(ReadingCodec.toJsonBatch(List.of(reading)));
            message.setStringProperty(DeadLetter.REASON, "disk full (written by the test)");
            session.createProducer(session.createQueue(BufferLayout.deadLetterQueue(TARGET))).send(message);
        }
    }

    private static void screenshot(WebDriver browser, String name) throws Exception {
        Path png = Path.of("target", "status-page-" + name + ".png");
        Files.createDirectories(png.getParent());
        Files.write(png, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
    }
}
