package dev.keyescrow.cli.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's own DER / PBES2 / PKCS#8 reader, run in Chromium on {@code /ui/key-check}: it must
 * open key files written by {@code escrow custodian keygen} and by OpenSSL
 * ({@code openssl genpkey -algorithm ed25519 | openssl pkcs8 -topk8 -v2 aes-256-cbc}) and find
 * the same public key as their writers, and refuse a wrong passphrase or an unencrypted key.
 */
class KeyFileBrowserTest {
    private static final String PASSPHRASE = "throwaway test passphrase";
    private static PagesServer pages;
    private static Browser browser;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        Browser.requireChromium();
        pages = new PagesServer();
        browser = Browser.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (pages != null) {
            pages.close();
        }
    }

    /** Opens {@code file} on the key-check page and returns the page's verdict and public key. */
    private static String[] open(Path file, String passphrase) {
        browser.driver.get(pages.url("/ui/key-check"));
        browser.find("kc-file").sendKeys(file.toString());
        browser.find("kc-passphrase").sendKeys(passphrase);
        browser.find("kc-open").click();
        String verdict = browser.awaitSettled("kc-result", "Opening");
        return new String[] {verdict, browser.find("kc-public-key").getText(), browser.find("kc-details").getText()};
    }

    @Test
    void aKeygenFile_opensToThePublicKeyKeygenPrinted() throws Exception {
        Path passphraseFile = dir.resolve("keygen.pass");
        Files.writeString(passphraseFile, PASSPHRASE + "\n");
        Path key = dir.resolve("custodian-1.pem");
        String printed = EscrowRun.ok("custodian", "keygen", "--id", "custodian-1", "--out", key.toString(),
                "--passphrase-file", passphraseFile.toString()).trim();

        String[] opened = open(key, PASSPHRASE);
        assertEquals("opened", opened[0]);
        assertEquals(printed, opened[1]);
        assertTrue(opened[2].contains("PBKDF2-HMAC-SHA-256 with 600000 iterations"), opened[2]);
        browser.screenshot(Path.of("target", "ui-screenshots", "key-check.png"));

        String[] wrong = open(key, PASSPHRASE + "x");
        assertTrue(wrong[0].contains("passphrase does not open"), wrong[0]);
        assertEquals("", wrong[1], "no key is shown for a wrong passphrase");
    }

    @Test
    void opensslFiles_withSha256AndSha1Prf_openToTheirPublicKey() throws Exception {
        Path plain = dir.resolve("openssl-plain.pem");
        if (!openssl("genpkey", "-algorithm", "ed25519", "-out", plain.toString())) {
            return;
        }
        byte[] spki = Files.readAllBytes(dir.resolve("pub.der"));
        String expected = Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        for (String prf : List.of("hmacWithSHA256", "hmacWithSHA1")) {
            Path encrypted = dir.resolve("openssl-" + prf + ".pem");
            assertTrue(openssl("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-v2prf", prf, "-in", plain.toString(),
                    "-out", encrypted.toString(), "-passout", "pass:" + PASSPHRASE));
            String[] opened = open(encrypted, PASSPHRASE);
            assertEquals("opened", opened[0], prf);
            assertEquals(expected, opened[1], prf);
            assertTrue(opened[2].contains(prf.equals("hmacWithSHA1") ? "HMAC-SHA-1" : "HMAC-SHA-256"), opened[2]);
        }

        String[] unencrypted = open(plain, PASSPHRASE);
        assertTrue(unencrypted[0].contains("not encrypted"), unencrypted[0]);
        Path truncated = dir.resolve("truncated.pem");
        List<String> lines = Files.readAllLines(dir.resolve("openssl-hmacWithSHA256.pem"));
        lines.remove(2);
        Files.write(truncated, lines, StandardCharsets.US_ASCII);
        String[] damaged = open(truncated, PASSPHRASE);
        assertTrue(damaged[0].contains("damaged"), damaged[0]);
    }

    /** Runs openssl; the first call also writes the public key; false (a skip) where openssl is absent outside CI. */
    private static boolean openssl(String... args) throws IOException, InterruptedException {
        Process p;
        try {
            String[] command = new String[args.length + 1];
            command[0] = "openssl";
            System.arraycopy(args, 0, command, 1, args.length);
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true but openssl is missing");
            }
            org.junit.jupiter.api.Assumptions.abort("openssl is not installed");
            return false;
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        if (args[0].equals("genpkey")) {
            Process pub = new ProcessBuilder("openssl", "pkey", "-in", args[args.length - 1], "-pubout", "-outform",
                    "DER", "-out", dir.resolve("pub.der").toString()).redirectErrorStream(true).start();
            assertEquals(0, pub.waitFor(), new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return true;
    }
}
