package dev.keyescrow.node.http;

import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.hsm.TokenDescription;
import dev.keyescrow.hsm.VaultKind;
import dev.keyescrow.node.Ceremony;
import dev.keyescrow.node.MutableClock;
import dev.keyescrow.node.NodeHttpServer;
import dev.keyescrow.node.approval.NodeService;
import dev.keyescrow.server.http.RefusalLog;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A node's HTTP API served by a real Vert.x server over the node's real signed journal in
 * {@code state}: the fixture's 3-of-5 key admitted, countersigned by all five, and the given
 * shares held here (custodians 1 and 2 answer at this node). Answers the node accepts are
 * collected in {@link #published}, as the cluster would receive them.
 */
final class ServedNode implements AutoCloseable {
    static final TokenDescription TOKEN = new TokenDescription(VaultKind.SOFTWARE, "vault.bcfks", "aa".repeat(32),
            "bb".repeat(32), List.of("AES-KWP"), 1);

    final Ceremony ceremony;
    final NodeService service;
    final RefusalLog refusals;
    final NodeHttpServer node;
    final List<Approval> published = new CopyOnWriteArrayList<>();
    final int port;
    final String base;
    private final Vertx vertx;

    private ServedNode(Ceremony ceremony, NodeService service, RefusalLog refusals, Vertx vertx) throws Exception {
        this.ceremony = ceremony;
        this.service = service;
        this.refusals = refusals;
        this.vertx = vertx;
        this.node = new NodeHttpServer(vertx, service, refusals, () -> TOKEN, published::add);
        HttpServer server = node.listen("127.0.0.1", 0, null, null).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        this.port = server.actualPort();
        this.base = "http://127.0.0.1:" + port;
    }

    static ServedNode start(Path state, MutableClock clock, int... heldShares) throws Exception {
        Ceremony ceremony = new Ceremony(new SecureRandom(), "payments-key");
        NodeService service = NodeService.open("node-a", ceremony.coordinator.publicKey(), state,
                SoftwareP256Signer.generate(new SecureRandom()), clock);
        service.submit(ceremony.manifestEvent());
        for (int c = 1; c <= 5; c++) {
            service.submit(ceremony.countersignature(c));
        }
        for (int index : heldShares) {
            service.submit(Ceremony.held("payments-key", 1, index));
        }
        return new ServedNode(ceremony, service, new RefusalLog(state.resolve("refusals.log"), 4096, clock),
                Vertx.vertx());
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        service.close();
    }
}
