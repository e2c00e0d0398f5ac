package dev.keyescrow.cli.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The page's decoding of request text, run as ES modules in Chromium: messages to sign are
 * shown as text only when printable (hex for control, zero-width and bidirectional-override
 * characters and invalid UTF-8), never as markup; canonical form is required exactly; DER
 * ECDSA signatures become r || s.
 */
class RequestTextBrowserTest {
    private static PagesServer pages;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        Browser.requireChromium();
        pages = new PagesServer();
        browser = Browser.start();
        browser.driver.get(pages.url("/ui/key-check"));
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

    /** Runs {@code body} with the page's modules imported as {@code text} and {@code checks}. */
    private static Object run(String body) {
        return browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "Promise.all([import('/ui/assets/request-text.js'), import('/ui/assets/checks.js')])"
                + ".then(async ([text, checks]) => done(await (async () => {" + body + "})()))"
                + ".catch(e => done('error: ' + e.message));");
    }

    @Test
    void messages_areTextWhenPrintable_andHexOtherwise() {
        assertEquals(Map.of("kind", "text", "value", "pay 10 EUR to Bob\n"),
                run("return text.messageView(new TextEncoder().encode('pay 10 EUR to Bob\\n'));"));
        assertEquals(Map.of("kind", "hex", "value", "7061792031302045555220746f20e280ae626f42"),
                run("return text.messageView(new TextEncoder().encode('pay 10 EUR to \\u202eboB'));"),
                "a right-to-left override could make the text read otherwise: shown as hex");
        assertEquals(Map.of("kind", "hex", "value", "ff00"), run("return text.messageView(new Uint8Array([255, 0]));"));
    }

    @Test
    void aSignRequestsMessages_reachThePageAsTextNodesOnly() {
        Object shown = run("const list = await text.paramsView({operation: 'SIGN', params: {messages: ["
                + "btoa('<img src=x onerror=alert(1)>'), btoa('\\u0001\\u0002')]}});"
                + "return [list.querySelectorAll('img').length, list.querySelectorAll('pre')[0].textContent,"
                + " list.querySelectorAll('pre')[1].textContent, list.textContent.includes('message 2, 2 bytes, as hex')];");
        assertEquals(List.of(0L, "<img src=x onerror=alert(1)>", "0102", true), shown);
    }

    @Test
    void onlyExactCanonicalText_isAccepted() {
        assertEquals("{\"a\":1,\"b\":[\"x\"]}", run("return checks.canonicalize(checks.parseCanonical("
                + "'{\"a\":1,\"b\":[\"x\"]}'));"));
        for (String text : List.of("{\"b\":1,\"a\":2}", "{\"a\":1,\"a\":2}", "{\"a\": 1}", "{\"a\":1.5}",
                "{\"a\":true}")) {
            Object result = run("try { checks.parseCanonical(" + quote(text) + "); return 'accepted'; }"
                    + " catch (e) { return 'refused'; }");
            assertEquals("refused", result, text);
        }
    }

    @Test
    void derEcdsaSignatures_becomeRawRs() {
        // r = 0x00ff.. (33 bytes with its sign byte), s = 0x01: padded into 32-byte halves
        Object raw = run("const r = new Uint8Array(33); r[1] = 0xff; const der = new Uint8Array([0x30, 38, 0x02, 33,"
                + " ...r, 0x02, 1, 1]); return Array.from(checks.rawSignature(der)).map(b => b.toString(16)).join(',');");
        StringBuilder expected = new StringBuilder("ff");
        for (int i = 1; i < 63; i++) {
            expected.append(",0");
        }
        expected.append(",1");
        assertEquals(expected.toString(), raw);
    }

    private static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
