package dev.twophase.system.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium driven through chromedriver: Debian's {@code chromium} and {@code chromium-driver}
 * (installed by .ci/run), never a browser Selenium would download. The paths can be changed with the system
 * properties {@code twophase.chromium} and {@code twophase.chromedriver}.
 */
public final class Browser implements AutoCloseable {

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    public static Browser headlessChromium() {
        String binary = System.getProperty("twophase.chromium", "/usr/bin/chromium");
        String chromedriver = System.getProperty("twophase.chromedriver", "/usr/bin/chromedriver");
        if (!Files.isExecutable(Path.of(binary)) || !Files.isExecutable(Path.of(chromedriver))) {
            throw new IllegalStateException(binary + " or " + chromedriver + " is missing: install Debian's chromium"
                    + " and chromium-driver (.ci/run does)");
        }
        try {
            Path profile = Files.createTempDirectory("twophase-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(binary);
            options.addArguments(
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--window-size=1400,1800",
                    "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(Path.of(chromedriver).toFile())
                    .usingAnyFreePort()
                    .build();
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void open(URI page) {
        driver.get(page.toString());
    }

    /** Opens {@code page}, logging in first if this browser has no session yet (the page is then the login form). */
    public void openAs(URI page, String user, String password) {
        open(page);
        if (!findAll("input[name=username]").isEmpty()) {
            logIn(user, password);
        }
    }

    /** Fills in and sends the login form the page redirected to. */
    public void logIn(String user, String password) {
        find("input[name=username]").sendKeys(user);
        find("input[name=password]").sendKeys(password);
        find("button[type=submit]").click();
    }

    /** The element matching {@code css}; throws if there is none (use inside an await that ignores exceptions). */
    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Saves what the browser shows as target/{@code name}.png (under system-tests). */
    public Path screenshot(String name) {
        Path target = Path.of(System.getProperty("twophase.root", ".."), "system-tests", "target", name + ".png");
        try {
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary profile is harmless.
        }
    }
}
