package dev.keyescrow.cli.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.cli.custodian.CustodianKeyFile;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The custodian web page in a real Chromium against a real local cluster (3 node processes
 * and a coordinator, started by {@code escrow cluster start}), with key files written by
 * {@code escrow custodian keygen}: approve and deny through the page, the node counts the
 * answers, a view tampered with by a proxy fails its check and cannot be answered, and no
 * request the browser sends carries the key file, the key or the passphrase.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustodianPageBrowserTest {
    private static final String PASSPHRASE = "custodian page passphrase";
    private static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");

    @TempDir
    static Path dir;
    private JsonArray nodes;
    private final List<String> custodianKeys = new ArrayList<>();
    private Browser browser;

    @BeforeAll
    void startCluster() throws Exception {
        Browser.requireChromium();
        EscrowRun.ok("cluster", "start", "--dir", dir.toString(), "--nodes", "3");
        JsonObject cluster = new JsonObject(Files.readString(dir.resolve("cluster.json")));
        nodes = cluster.getJsonArray("nodes");
        Path passphrase = dir.resolve("custodian.pass");
        Files.writeString(passphrase, PASSPHRASE + "\n");
        for (int i = 1; i <= 3; i++) {
            String id = "custodian-" + i;
            String publicKey = EscrowRun.ok("custodian", "keygen", "--id", id, "--out", keyFile(id).toString(),
                    "--passphrase-file", passphrase.toString()).trim();
            custodianKeys.add(publicKey);
            EscrowRun.ok("custodians", "add", "--cluster", dir.toString(), "--id", id, "--public-key", publicKey,
                    "--node", nodeId(i));
        }
        EscrowRun.ok("key", "create", "--cluster", dir.toString(), "--name", "payments-key", "--algorithm", "AES-256",
                "--threshold", "2", "--custodians", "custodian-1,custodian-2,custodian-3");
        String coordinatorKey = new NodeClient(nodeUrl(1)).node().getString("coordinatorPublicKey");
        for (int i = 1; i <= 3; i++) {
            EscrowRun.ok("countersign", "payments-key", "--version", "1", "--as", "custodian-" + i, "--key",
                    keyFile("custodian-" + i).toString(), "--coordinator", cluster.getString("coordinator"),
                    "--coordinator-key", coordinatorKey, "--yes", "--passphrase-file", passphrase.toString());
        }
        browser = Browser.start();
    }

    @AfterAll
    void stopCluster() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            EscrowRun.exit("cluster", "stop", "--dir", dir.toString());
        }
    }

    private Path keyFile(String custodianId) {
        return dir.resolve(custodianId + ".pem");
    }

    private String nodeId(int i) {
        return nodes.getJsonObject(i - 1).getString("id");
    }

    private String nodeUrl(int i) {
        return nodes.getJsonObject(i - 1).getString("url");
    }

    /** A USE request, once every node holds it; returns {requestId, digest}. */
    private String[] useRequest(String reason) throws Exception {
        return useRequest(reason, 600);
    }

    private String[] useRequest(String reason, int ttlSeconds) throws Exception {
        JsonObject created = new JsonObject(EscrowRun.ok("request", "use", "payments-key", "--cluster", dir.toString(),
                "--reason", reason, "--max-operations", "2", "--session-seconds", "60", "--ttl",
                String.valueOf(ttlSeconds), "--json"));
        String requestId = created.getString("requestId");
        for (int i = 1; i <= 3; i++) {
            CustodianDesk.awaitReview(new NodeClient(nodeUrl(i)), requestId, Duration.ofSeconds(60), null);
        }
        return new String[] {requestId, created.getString("digest")};
    }

    private void openRequest(String base, String requestId) {
        browser.driver.get(base + "/ui/requests/" + requestId);
        browser.awaitText("digest-check", "verified", "CHECK FAILED", "Not checked");
    }

    private String answer(String custodianId, Path key, String passphrase, String button) {
        browser.find("custodian-id").clear();
        browser.find("custodian-id").sendKeys(custodianId);
        browser.find("key-file").sendKeys(key.toString());
        browser.find("passphrase").sendKeys(passphrase);
        browser.find(button).click();
        return browser.awaitSettled("result", "Opening", "Sending");
    }

    /** Approval posts the browser has sent so far, as their JSON bodies. */
    private List<JsonObject> approvalPosts() {
        List<JsonObject> posts = new ArrayList<>();
        for (LogEntry entry : browser.performanceLog()) {
            JsonObject message = new JsonObject(entry.getMessage()).getJsonObject("message");
            if ("Network.requestWillBeSent".equals(message.getString("method"))) {
                JsonObject request = message.getJsonObject("params").getJsonObject("request");
                if ("POST".equals(request.getString("method")) && request.getString("url").endsWith("/approvals")) {
                    posts.add(new JsonObject(request.getString("postData")));
                }
            }
        }
        return posts;
    }

    @Test
    void approveThroughThePage_theNodeCountsIt_andNoRequestCarriesTheKeyOrPassphrase() throws Exception {
        String[] request = useRequest("Quarterly settlement run");
        String requestId = request[0];
        browser.driver.get(nodeUrl(1) + "/ui/");
        WebElement item = new WebDriverWait(browser.driver, Duration.ofSeconds(30)).until(d -> d.findElements(
                By.cssSelector("li[data-request-id='" + requestId + "']")).stream().findFirst().orElse(null));
        assertTrue(item.getText().contains("USE of payments-key version 1"), item.getText());
        assertTrue(item.getText().contains("0 of 2 approvals"), item.getText());
        browser.screenshot(SCREENSHOTS.resolve("list.png"));

        item.findElement(By.tagName("a")).sendKeys(Keys.ENTER);
        browser.awaitText("digest-check", "verified", "CHECK FAILED");
        assertTrue(browser.find("digest-check").getText().startsWith("verified"), browser.find("digest-check").getText());
        assertEquals("USE", browser.find("operation").getText());
        assertEquals("payments-key", browser.find("key-id").getText());
        assertEquals(request[1], browser.find("digest").getText().replace(" ", ""));
        assertTrue(browser.find("digest").getText().matches("([0-9a-f]{4} ){15}[0-9a-f]{4}"));
        assertTrue(browser.find("params").getText().contains("at most 2 operations"), browser.find("params").getText());
        assertEquals("Quarterly settlement run", browser.find("reason").getText());

        // at 200 % zoom a 1280-pixel window is 640 CSS pixels wide: the page reflows, nothing scrolls sideways
        browser.driver.manage().window().setSize(new Dimension(640, 1000));
        assertEquals(Boolean.TRUE, browser.driver.executeScript(
                "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        browser.driver.manage().window().setSize(new Dimension(1280, 1700));

        // keyboard only: the controls come in reading order, and Enter on the focused button answers (the
        // file itself is set through WebDriver: a headless browser has no file dialog to drive)
        Actions keyboard = new Actions(browser.driver);
        browser.driver.executeScript("document.getElementById('custodian-id').focus()");
        keyboard.sendKeys("custodian-1").sendKeys(Keys.TAB).perform();
        assertEquals("key-file", browser.driver.switchTo().activeElement().getAttribute("id"));
        browser.find("key-file").sendKeys(keyFile("custodian-1").toString());
        keyboard.sendKeys(Keys.TAB).perform();
        assertEquals("passphrase", browser.driver.switchTo().activeElement().getAttribute("id"));
        keyboard.sendKeys(PASSPHRASE).sendKeys(Keys.TAB).perform();
        assertEquals("approve", browser.driver.switchTo().activeElement().getAttribute("id"));
        keyboard.sendKeys(Keys.ENTER).perform();
        String result = browser.awaitSettled("result", "Opening", "Sending");
        assertTrue(result.contains("accepted"), result);
        assertEquals("", browser.find("passphrase").getAttribute("value"), "the passphrase is cleared");
        browser.screenshot(SCREENSHOTS.resolve("request.png"));

        JsonObject view = new NodeClient(nodeUrl(1)).request(requestId);
        assertEquals(1, view.getInteger("approvals"), view.encodePrettily());
        assertEquals("PENDING", view.getString("state"));

        String again = answer("custodian-1", keyFile("custodian-1"), PASSPHRASE, "approve");
        assertTrue(again.contains("already answered"), again);

        List<JsonObject> posts = approvalPosts();
        assertEquals(2, posts.size(), "one post per answer the page sent");
        for (JsonObject post : posts) {
            assertEquals(List.of("custodianId", "decision", "signature"), post.fieldNames().stream().sorted().toList());
            assertEquals(64, Base64.getDecoder().decode(post.getString("signature")).length);
        }
        List<String> secrets = new ArrayList<>(List.of(PASSPHRASE));
        Files.readAllLines(keyFile("custodian-1")).stream().filter(l -> !l.startsWith("-----")).forEach(secrets::add);
        try (SecretBytes seed = CustodianKeyFile.read(keyFile("custodian-1"), PASSPHRASE.toCharArray())) {
            byte[] raw = seed.toByteArray(SecretAccess.plaintext());
            secrets.add(Base64.getEncoder().encodeToString(raw));
            secrets.add(HexFormat.of().formatHex(raw));
            Arrays.fill(raw, (byte) 0);
        }
        int requests = 0;
        for (LogEntry entry : browser.performanceLog()) {
            String message = entry.getMessage();
            requests += message.contains("\"Network.requestWillBeSent\"") ? 1 : 0;
            for (String secret : secrets) {
                assertFalse(message.contains(secret), "a browser network event carries key file or passphrase data");
            }
        }
        assertTrue(requests >= 10, "the log saw the pages, assets and API calls: " + requests);
        for (LogEntry entry : browser.driver.manage().logs().get(LogType.BROWSER)) {
            assertFalse(entry.getMessage().contains("Content Security Policy"), entry.getMessage());
        }
    }

    @Test
    void denyThroughThePage_afterAWrongPassphraseAndAnotherCustodiansKeySentNothing() throws Exception {
        String requestId = useRequest("Deny drill")[0];
        int postsBefore = approvalPosts().size();
        openRequest(nodeUrl(2), requestId);
        assertTrue(browser.find("digest-check").getText().startsWith("verified"));

        String wrongPassphrase = answer("custodian-2", keyFile("custodian-2"), PASSPHRASE + " typo", "deny");
        assertTrue(wrongPassphrase.contains("passphrase does not open") && wrongPassphrase.contains("Nothing was sent"),
                wrongPassphrase);
        String otherKey = answer("custodian-2", keyFile("custodian-3"), PASSPHRASE, "deny");
        assertTrue(otherKey.contains("not the key pinned for custodian-2") && otherKey.contains("Nothing was sent"),
                otherKey);
        String notHere = answer("custodian-1", keyFile("custodian-1"), PASSPHRASE, "deny");
        assertTrue(notHere.contains("holds no share") && notHere.contains("Nothing was sent"), notHere);
        assertEquals(postsBefore, approvalPosts().size(), "nothing was posted for the refused attempts");

        String denied = answer("custodian-2", keyFile("custodian-2"), PASSPHRASE, "deny");
        assertTrue(denied.contains("accepted") && denied.contains("DENY"), denied);
        JsonObject post = approvalPosts().get(postsBefore);
        assertEquals("DENY", post.getString("decision"));
        assertEquals("custodian-2", post.getString("custodianId"));
        // the node counted the DENY: the same answer again is refused as already given
        String again = answer("custodian-2", keyFile("custodian-2"), PASSPHRASE, "deny");
        assertTrue(again.contains("already answered"), again);
        assertEquals(0, new NodeClient(nodeUrl(2)).request(requestId).getInteger("approvals"));
    }

    @Test
    void anExpiredRequest_andACancelledOne_cannotBeAnswered_andThePageSaysWhy() throws Exception {
        int postsBefore = approvalPosts().size();
        String expiring = useRequest("Expiry drill", 8)[0];
        openRequest(nodeUrl(2), expiring);
        // the countdown closes the page at expiresAt, or the node already reports the request EXPIRED
        new WebDriverWait(browser.driver, Duration.ofSeconds(60)).until(d ->
                browser.find("answer-hint").getText().toLowerCase(java.util.Locale.ROOT).contains("expired"));
        assertFalse(browser.find("approve").isEnabled(), "an expired request cannot be approved");
        assertFalse(browser.find("deny").isEnabled(), "an expired request cannot be denied");

        String cancelled = useRequest("Cancel drill")[0];
        EscrowRun.ok("request", "cancel", cancelled, "--cluster", dir.toString());
        NodeClient node = new NodeClient(nodeUrl(2));
        new WebDriverWait(browser.driver, Duration.ofSeconds(60)).until(d -> {
            try {
                return "CANCELLED".equals(node.request(cancelled).getString("state"));
            } catch (Exception e) {
                return false;
            }
        });
        openRequest(nodeUrl(2), cancelled);
        String hint = browser.find("answer-hint").getText();
        assertTrue(hint.contains("CANCELLED") && hint.contains("answers are closed"), hint);
        assertFalse(browser.find("approve").isEnabled(), "a cancelled request cannot be approved");
        assertFalse(browser.find("deny").isEnabled(), "a cancelled request cannot be denied");
        assertEquals(postsBefore, approvalPosts().size(), "nothing was posted for closed requests");
    }

    @Test
    void aTamperedRequest_failsItsCheck_andCannotBeAnswered() throws Exception {
        String requestId = useRequest("Settlement run 42")[0];
        int postsBefore = approvalPosts().size();
        try (TamperingProxy proxy = new TamperingProxy(nodeUrl(3), "Settlement run 42", "Settlement run 43")) {
            for (boolean recompute : new boolean[] {true, false}) {
                proxy.recomputeDigest = recompute;
                openRequest(proxy.url(), requestId);
                String check = browser.find("digest-check").getText();
                assertTrue(check.startsWith("CHECK FAILED") && !check.contains("verified"), check);
                assertTrue(check.contains(recompute ? "signature does not verify" : "digest"), check);
                assertEquals("Settlement run 43", browser.find("reason").getText());
                assertFalse(browser.find("approve").isEnabled());
                assertFalse(browser.find("deny").isEnabled());
                browser.find("custodian-id").sendKeys("custodian-3");
                browser.find("key-file").sendKeys(keyFile("custodian-3").toString());
                browser.find("passphrase").sendKeys(PASSPHRASE);
                browser.find("approve").click();
                if (recompute) {
                    browser.screenshot(SCREENSHOTS.resolve("tampered.png"));
                }
            }
        }
        assertEquals(postsBefore, approvalPosts().size(), "a tampered request gets no answer");
        assertEquals(0, new NodeClient(nodeUrl(3)).request(requestId).getInteger("approvals"));
    }

    @Test
    void exportAndReshareRequests_showTheKeysTheyNameByFingerprint() throws Exception {
        byte[] recipient = SoftwareP256Signer.generate(new SecureRandom()).publicKey();
        JsonObject export = new JsonObject(EscrowRun.ok("request", "export", "payments-key", "--cluster",
                dir.toString(), "--reason", "Lost key drill", "--recipient-public-key",
                Base64.getEncoder().encodeToString(recipient), "--json"));
        JsonObject reshare = new JsonObject(EscrowRun.ok("request", "reshare", "payments-key", "--cluster",
                dir.toString(), "--reason", "A smaller team", "--threshold", "2", "--custodians",
                "custodian-1,custodian-2", "--json"));
        for (JsonObject created : List.of(export, reshare)) {
            CustodianDesk.awaitReview(new NodeClient(nodeUrl(1)), created.getString("requestId"),
                    Duration.ofSeconds(60), null);
        }
        openRequest(nodeUrl(1), export.getString("requestId"));
        assertTrue(browser.find("digest-check").getText().startsWith("verified"));
        assertEquals("EXPORT", browser.find("operation").getText());
        String params = browser.find("params").getText();
        assertTrue(params.contains("recipient key SHA-256 " + sha256(recipient)), params);

        openRequest(nodeUrl(1), reshare.getString("requestId"));
        assertEquals("RESHARE", browser.find("operation").getText());
        params = browser.find("params").getText();
        assertTrue(params.contains("new threshold: 2 of 2 holders"), params);
        for (int i = 1; i <= 2; i++) {
            String line = "custodian-" + i + " on " + nodeId(i) + ", key SHA-256 "
                    + sha256(Base64.getDecoder().decode(custodianKeys.get(i - 1)));
            assertTrue(params.contains(line), params);
        }
        assertTrue(browser.find("approve").isEnabled(), "a verified, understood request can be approved");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void pagesCarryAStrictContentSecurityPolicy_andNoInlineScriptOrStyle() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/ui/", "/ui/requests/req-1", "/ui/key-check", "/ui/assets/request.js",
                "/ui/assets/ui.css")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(nodeUrl(1) + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), path);
            String csp = r.headers().firstValue("content-security-policy").orElse("");
            assertTrue(csp.startsWith("default-src 'self';") && csp.contains("frame-ancestors 'none'"), csp);
            assertFalse(csp.contains("unsafe"), csp);
            assertEquals("nosniff", r.headers().firstValue("x-content-type-options").orElse(""));
            assertEquals("no-referrer", r.headers().firstValue("referrer-policy").orElse(""));
            assertEquals("DENY", r.headers().firstValue("x-frame-options").orElse(""));
            if (path.endsWith("/") || !path.contains(".")) {
                assertFalse(r.body().matches("(?s).*<script(?![^>]*\\ssrc=)[^>]*>.*"), path + " has an inline script");
                assertFalse(r.body().contains(" style=") || r.body().contains("<style"), path + " has inline style");
            }
        }
        for (String path : List.of("/ui/assets/pom.xml", "/ui/assets/..%2Findex.html", "/ui/requests/NOT_AN_ID")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(nodeUrl(1) + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode(), path);
        }
    }
}
