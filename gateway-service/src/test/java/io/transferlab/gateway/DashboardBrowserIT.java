package io.transferlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.transferlab.contracts.Topics;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.gateway.standin.InferenceStandIn;
import io.transferlab.gateway.standin.TunerStandIn;
import io.transferlab.testsupport.KafkaResource;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless browser (Debian's chromium driven by chromium-driver through Selenium): the page
 * loads, an uploaded photo comes back with its top-5 (inference stand-in), live SSE progress draws the accuracy and
 * loss charts, the result draws the confusion matrix, and the runs table sorts.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TunerStandIn.class)
class DashboardBrowserIT {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"));

    @TestHTTPResource("/")
    URL page;

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private static WebDriver browser;
    private static InferenceStandIn inference;

    @BeforeAll
    static void start() throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (deploy/local/prereqs installs it)").isExecutable();
        assertThat(DRIVER).as("Debian's chromium-driver (deploy/local/prereqs installs it)").isExecutable();
        inference = new InferenceStandIn(KafkaResource.bootstrapServers()).awaitAssignment();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The machine has no outside network: without these flags Chromium waits on services it cannot reach.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1800",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile-"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withLogFile(new File("target/chromedriver.log")).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (inference != null) {
            inference.close();
        }
    }

    private static WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    @Test
    void uploadsAPhotoFollowsATrainingLiveAndSortsTheRunsTable() throws Exception {
        browser.get(page.toString());
        waitUpTo(20).until(d -> Boolean.TRUE.equals(js("return typeof Chart === 'function'")));
        WebElement key = browser.findElement(By.id("api-key"));
        key.sendKeys(TestKeys.ALL, Keys.TAB);

        // Upload a photo: the top-5 table fills with the stand-in's answer for exactly these bytes.
        byte[] photo = TestImages.jpeg(120, 90);
        Path file = Files.createTempFile("photo-", ".jpg");
        Files.write(file, photo);
        browser.findElement(By.id("classify-file")).sendKeys(file.toString());
        browser.findElement(By.id("classify-submit")).click();
        waitUpTo(30).until(d -> d.findElements(By.cssSelector("#classify-results tbody tr")).size() == 5);
        assertThat(browser.findElement(By.cssSelector("#classify-results tbody tr td:nth-child(2)")).getText())
                .isEqualTo(InferenceStandIn.labelFor(photo));

        // Follow a run: epochs published on the broker become points on the charts, the result a heat map.
        String runId = "run-ui-1";
        // the gateway streams only runs it or the tuner knows (an unknown id is 404)
        TunerStandIn.serve("/api/v1/runs/" + runId, Views.run(runId, RunStatus.RUNNING, 0));
        browser.findElement(By.id("follow-run")).sendKeys(runId);
        browser.findElement(By.id("follow-submit")).click();
        waitUpTo(20).until(d -> d.findElement(By.id("train-status")).getText().contains("(connected)"));
        for (int epoch = 1; epoch <= 3; epoch++) {
            publish(Topics.TRAIN_PROGRESS, runId, Views.progress(runId, null, epoch));
        }
        waitUpTo(20).until(d -> ((Number) js("return Chart.getChart(document.getElementById('accuracy-chart'))"
                + ".data.datasets[0].data.length")).intValue() == 3);
        assertThat(((Number) js("return Chart.getChart(document.getElementById('loss-chart'))"
                + ".data.datasets[1].data.length")).intValue()).isEqualTo(3);
        assertThat((Boolean) js("const c = document.getElementById('accuracy-chart');"
                + "const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "for (let i = 3; i < px.length; i += 4) { if (px[i] > 0) return true; } return false;"))
                .as("the accuracy chart painted pixels").isTrue();
        publish(Topics.TRAIN_RESULTS, runId, Views.result(runId, null, 3));
        waitUpTo(20).until(d -> d.findElements(By.cssSelector("#confusion td")).size() == 4);
        assertThat(browser.findElement(By.cssSelector("#confusion tr:nth-child(2) td")).getText()).isEqualTo("45");
        assertThat(((Number) js("return Chart.getChart(document.getElementById('class-chart'))"
                + ".data.labels.length")).intValue()).isEqualTo(2);
        assertThat(browser.findElement(By.id("train-status")).getText()).contains("SUCCEEDED");

        // A study's runs table, sorted by a metric column on click.
        TunerStandIn.serve("/api/v1/studies/study-ui-1", Views.study("study-ui-1", 2, List.of(
                Views.row("run-low", 0, RunStatus.SUCCEEDED, 0.61), Views.row("run-high", 1, RunStatus.SUCCEEDED, 0.83))));
        browser.findElement(By.id("study-id")).sendKeys("study-ui-1", Keys.ENTER);
        waitUpTo(20).until(d -> d.findElements(By.cssSelector("#runs-table tbody tr")).size() == 2);
        WebElement metric = browser.findElement(By.cssSelector("#runs-table th[data-col='metric_val_accuracy']"));
        metric.click();
        assertThat(firstRunId()).isEqualTo("run-low");
        browser.findElement(By.cssSelector("#runs-table th[data-col='metric_val_accuracy']")).click();
        assertThat(firstRunId()).isEqualTo("run-high");
    }

    private static String firstRunId() {
        return browser.findElement(By.cssSelector("#runs-table tbody tr td:nth-child(2)")).getText();
    }

    private void publish(String topic, String key, Object message) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key, Json.write(message)))
                .awaitCompletion(Duration.ofSeconds(10));
    }
}
