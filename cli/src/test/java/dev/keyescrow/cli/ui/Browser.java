package dev.keyescrow.cli.ui;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through chromedriver, with the performance log on so a
 * test can read every request the page sent. Where Chromium is missing the test is skipped,
 * except in CI ({@code CI=true}), where that is a failure.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Long enough for 600,000 PBKDF2 iterations on a loaded CI machine; waits end as soon as the page is ready. */
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    final ChromeDriver driver;
    private final List<LogEntry> performance = new ArrayList<>();

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Fails in CI and skips elsewhere when Chromium or chromedriver is not installed. */
    static void requireChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: install chromium chromium-driver");
        }
        Assumptions.assumeTrue(present, "Chromium and chromedriver are not installed");
    }

    static Browser start() {
        requireChromium();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1280,1700", "--no-first-run", "--disable-extensions");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.PERFORMANCE, "ALL", LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options));
    }

    WebElement find(String id) {
        return driver.findElement(By.id(id));
    }

    /** Waits until element {@code id} has text containing one of {@code parts}, and returns that text. */
    String awaitText(String id, String... parts) {
        return new WebDriverWait(driver, PATIENCE).until(d -> {
            String text = d.findElement(By.id(id)).getText();
            for (String p : parts) {
                if (text.contains(p)) {
                    return text;
                }
            }
            return null;
        });
    }

    /** Waits until {@code id} has any text not in {@code transient}. */
    String awaitSettled(String id, String... transientTexts) {
        return new WebDriverWait(driver, PATIENCE).until(d -> {
            String text = d.findElement(By.id(id)).getText();
            if (text.isEmpty()) {
                return null;
            }
            for (String t : transientTexts) {
                if (text.startsWith(t)) {
                    return null;
                }
            }
            return text;
        });
    }

    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        // the body only: as tall as the content, without the empty viewport below it
        Files.write(file, driver.findElement(By.tagName("body")).getScreenshotAs(OutputType.BYTES));
    }

    /** Every performance-log entry so far (the log is drained on read, so this keeps them). */
    List<LogEntry> performanceLog() {
        driver.manage().logs().get(LogType.PERFORMANCE).forEach(performance::add);
        return List.copyOf(performance);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
