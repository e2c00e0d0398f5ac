package dev.keyescrow.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code escrow key list} reads every page of {@code GET /v1/keys}: the client follows the
 * {@code Link: <...>; rel="next"} header over real HTTP until a page has none. The coordinator's
 * side of paging is checked against a real coordinator in {@code CoordinatorOpenApiTest}.
 */
class KeyPagingTest {

    @Test
    void theClientFollowsNextLinksToTheLastPage() throws Exception {
        Map<String, String[]> pages = new ConcurrentHashMap<>();
        pages.put("/v1/keys", new String[] {"[{\"keyId\":\"a\"},{\"keyId\":\"b\"}]",
            "</v1/keys?limit=2&cursor=b>; rel=\"next\""});
        pages.put("/v1/keys?limit=2&cursor=b", new String[] {"[{\"keyId\":\"c\"},{\"keyId\":\"d\"}]",
            "</v1/keys?limit=2&cursor=d>; rel=\"next\""});
        pages.put("/v1/keys?limit=2&cursor=d", new String[] {"[{\"keyId\":\"e\"}]", null});
        List<String> asked = new CopyOnWriteArrayList<>();
        HttpServer server = serve(pages, asked);
        try {
            JsonArray keys = new CoordinatorClient("http://127.0.0.1:" + server.getAddress().getPort(), "token")
                    .keys();
            assertEquals(List.of("a", "b", "c", "d", "e"),
                    keys.stream().map(k -> ((JsonObject) k).getString("keyId")).toList());
            assertEquals(List.of("/v1/keys", "/v1/keys?limit=2&cursor=b", "/v1/keys?limit=2&cursor=d"), asked);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aServerThatLinksBackToAPageItSentIsRefusedNotLoopedOn() throws Exception {
        Map<String, String[]> pages = new ConcurrentHashMap<>();
        pages.put("/v1/keys", new String[] {"[{\"keyId\":\"a\"}]", "</v1/keys?cursor=a>; rel=\"next\""});
        pages.put("/v1/keys?cursor=a", new String[] {"[{\"keyId\":\"b\"}]", "</v1/keys?cursor=a>; rel=\"next\""});
        HttpServer server = serve(pages, new CopyOnWriteArrayList<>());
        try {
            ApiException e = assertThrows(ApiException.class, () -> new CoordinatorClient("http://127.0.0.1:"
                    + server.getAddress().getPort(), "token").keys());
            assertTrue(e.getMessage().contains("same next page"), e.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void onlyARelativeNextLinkIsFollowed() {
        assertEquals(Optional.of("/v1/keys?limit=2&cursor=b"), JsonHttp.nextOf("</v1/keys?limit=2&cursor=b>; rel=\"next\""));
        assertEquals(Optional.empty(), JsonHttp.nextOf("</v1/keys?cursor=b>; rel=\"prev\""));
        assertEquals(Optional.empty(), JsonHttp.nextOf("<https://elsewhere.example/v1/keys>; rel=\"next\""));
    }

    private static HttpServer serve(Map<String, String[]> pages, List<String> asked) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String target = exchange.getRequestURI().toString();
            asked.add(target);
            String[] page = pages.get(target);
            byte[] body = (page == null ? "{\"title\":\"not found\",\"status\":404}" : page[0])
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (page != null && page[1] != null) {
                exchange.getResponseHeaders().add("Link", page[1]);
            }
            exchange.sendResponseHeaders(page == null ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }
}
