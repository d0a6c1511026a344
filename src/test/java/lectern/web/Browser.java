package lectern.web;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

/** One headless Debian Chromium driven through chromium-driver, with its console read back for errors. */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String DRIVER = "/usr/bin/chromedriver";

    final ChromeDriver driver;
    final WebDriverWait wait;
    private final Path profile;
    private final String base;

    Browser(String base) {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(DRIVER))) {
            throw new IllegalStateException("The browser tests need Debian's chromium and chromium-driver: "
                    + "apt-get update && apt-get install -y chromium chromium-driver (.ci/run does this)");
        }
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        try {
            profile = Files.createTempDirectory("lectern-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,1000", "--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        // The Debian driver, given explicitly, so Selenium Manager never tries to download one.
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    }

    void open(String hashPath) {
        driver.get(base + "/#" + hashPath);
    }

    WebElement find(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    /** The form control labelled so, inside the element matched by scope. */
    WebElement control(String scope, String label) {
        WebElement labelElement = wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath(
                xpathOf(scope) + "//label[normalize-space(.)='" + label + "']")));
        return driver.findElement(By.id(labelElement.getAttribute("for")));
    }

    void type(String scope, String label, String text) {
        WebElement input = control(scope, label);
        input.clear();
        input.sendKeys(text);
    }

    void click(String scope, String buttonText) {
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath(
                xpathOf(scope) + "//button[normalize-space(.)='" + buttonText + "']"))).click();
    }

    void waitForText(String css, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    void waitForHash(String prefix) {
        wait.until(d -> ((String) ((JavascriptExecutor) d).executeScript("return location.hash")).startsWith("#" + prefix));
    }

    /** Signs out and forgets everything the page stored, so the next journey starts as a stranger. */
    void reset() {
        driver.get(base + "/");
        driver.manage().deleteAllCookies();
        ((JavascriptExecutor) driver).executeScript("localStorage.clear()");
        driver.get(base + "/");
        find("main h1");
        // What the previous user's page logged while it was left is not this journey's business.
        consoleErrors();
    }

    /** Console errors since the last call: script errors, failed requests, console.error. */
    List<String> consoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(entry.getMessage());
            }
        }
        return errors;
    }

    void screenshot(Path target) {
        try {
            Files.createDirectories(target.getParent());
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String xpathOf(String scope) {
        // A small CSS subset is enough for scopes: tag, #id, or tag[aria-labelledby=...].
        if (scope.startsWith("#")) {
            return "//*[@id='" + scope.substring(1) + "']";
        }
        return "//" + scope;
    }

    @Override
    public void close() {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // A leftover temp profile is harmless.
        }
    }
}
