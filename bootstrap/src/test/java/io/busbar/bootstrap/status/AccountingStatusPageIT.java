package io.busbar.bootstrap.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.accounting.Accounting;
import io.busbar.accounting.TotalsCsv;
import io.busbar.bootstrap.config.CompiledConfig;
import io.busbar.bootstrap.config.ConfigFile;
import io.busbar.bootstrap.demo.DemoFiles;
import io.busbar.bootstrap.support.Http;
import io.busbar.bootstrap.support.DemoAccounting;
import io.busbar.bootstrap.support.ReadingsFile;
import io.busbar.mappings.Mapping;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The running accounting on the demo's pair, whose parent meter reads far less than its members:
 * the status page (headless Chromium) lists the group out of balance with its interval, difference
 * and percent, as {@code /actuator/health/accounting} has it; and the billing totals are written at
 * every 30 s moment into real files, each the batch computation's totals since the previous moment.
 * Screenshot: {@code bootstrap/target/status-page-accounting.png}.
 */
class AccountingStatusPageIT extends StatusPageTestBase {

    private static final int METERS = 4;

    @Test
    void groupOutOfBalanceShownOnThePage_totalsWrittenAtEachMoment() throws Exception {
        session = new StatusPageSession(METERS, true);
        Path config = DemoFiles.write(dir, session.primary.endpointUrl(), session.secondary.endpointUrl(), METERS);
        DemoAccounting.appendBuilding(dir);
        Files.writeString(config, """
                accounting:
                  events-to: [readings-file]
                  late-data: 2m
                  totals:
                    dir: billing
                    schedule: {every: 30s}
                    file-name: "totals-{pair}-{time:yyyyMMdd-HHmmss}.csv"
                    grace: 3s
                """, StandardOpenOption.APPEND);
        CompiledConfig compiled = ConfigFile.load(config);
        Mapping mapping = compiled.plan().pairs().get(0).mapping();
        int port = session.startBusbar(compiled);
        Http http = new Http(port);

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> http.getJson("/actuator/health/accounting").at("/details/pairs/demo/groupsOutOfBalance").size() > 0);
        JsonNode group = http.getJson("/actuator/health/accounting").at("/details/pairs/demo/groupsOutOfBalance/0");
        assertThat(group.path("group").asText()).isEqualTo("building");
        assertThat(group.path("interval").asText()).isEqualTo("15s");
        assertThat(Instant.parse(group.path("end").asText())).isEqualTo(Instant.parse(group.path("start").asText()).plusSeconds(15));
        assertThat(group.path("difference").decimalValue()).isNotZero();

        ChromeDriver browser = session.openPage(dir, port);
        // the page redraws every second: each check finds its element again, and a redraw in between is waited out
        WebDriverWait page = new WebDriverWait(browser, Duration.ofSeconds(20));
        page.ignoring(StaleElementReferenceException.class);
        String row = "[data-accounting=demo] tr[data-group=building] ";
        page.until(ExpectedConditions.textToBePresentInElementLocated(By.id("problems"), "Group building (pair demo) is out of balance"));
        page.until(ExpectedConditions.textMatches(By.cssSelector(row + ".percent"), Pattern.compile("^-?[0-9.]+ %$")));
        page.until(ExpectedConditions.textMatches(By.cssSelector(row + ".difference"), Pattern.compile("^-?[0-9.]+ kWh$")));
        page.until(ExpectedConditions.textToBe(By.cssSelector("[data-accounting=demo] .balance-summary"), "1 out of balance"));
        Path png = Path.of("target", "status-page-accounting.png");
        Files.createDirectories(png.getParent());
        Files.write(png, browser.getScreenshotAs(OutputType.BYTES));

        // billing totals: a file per 30 s moment; from the second on, the totals since the previous moment
        Path billing = dir.resolve("billing");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> files(billing).size() >= 3);
        List<String> names = files(billing);
        DateTimeFormatter name = DateTimeFormatter.ofPattern("'totals-demo-'yyyyMMdd-HHmmss'.csv'");
        for (int i = 1; i < names.size(); i++) {
            Instant from = LocalDateTime.parse(names.get(i - 1), name).toInstant(ZoneOffset.UTC);
            Instant to = LocalDateTime.parse(names.get(i), name).toInstant(ZoneOffset.UTC);
            assertThat(Duration.between(from, to)).as("no moment skipped: " + names).isEqualTo(Duration.ofSeconds(30));
            String written = Files.readString(billing.resolve(names.get(i)), StandardCharsets.UTF_8);
            String truth = new TotalsCsv(ZoneOffset.UTC, '.', TotalsCsv.DEFAULT_DATE_FORMAT).render(new Accounting("demo",
                    mapping.accounting(), mapping.registers()).compute(ReadingsFile.read(dir.resolve(DemoFiles.READINGS)), from, to).totals());
            assertThat(written).as(names.get(i)).isEqualTo(truth).contains("building;1-0:1.8.0;");
        }
        assertThat(http.getJson("/actuator/health/accounting").at("/details/pairs/demo/lastTotals").asText()).isNotEmpty();
    }

    private static List<String> files(Path billing) throws Exception {
        if (!Files.isDirectory(billing)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(billing)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }
}
