package dev.keyescrow.node.http;

import dev.keyescrow.server.http.RefusalLog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.node.NodeHttpServer;
import dev.keyescrow.node.approval.NodeService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a PEM certificate and key the node API speaks TLS only. */
class NodeTlsTest {
    @TempDir
    Path dir;

    @Test
    void theNodeServesHttpsWithItsPemCertificateAndRefusesPlainHttp() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
        Vertx vertx = Vertx.vertx();
        try (NodeService service = NodeService.open("node-tls", SoftwareP256Signer.generate(new SecureRandom())
                .publicKey(), dir, SoftwareP256Signer.generate(new SecureRandom()), Clock.systemUTC())) {
            HttpServer server = new NodeHttpServer(vertx, service, new RefusalLog(dir.resolve("refusals.log"), 4096,
                    Clock.systemUTC()), () -> new dev.keyescrow.hsm.TokenDescription(dev.keyescrow.hsm.VaultKind.PKCS11,
                    "node-tls", "aa".repeat(32), "bb".repeat(32), List.of(), 1), approval -> { })
                    .listen("127.0.0.1", 0, Path.of(certificate.certificatePath()), Path.of(certificate.privateKeyPath()))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(certificate.certificatePath())).build();
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                    + server.actualPort() + "/v1/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals("node-tls", new JsonObject(health.body()).getString("nodeId"));
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.actualPort() + "/v1/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static SSLContext trusting(String pemCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(pemCertificate))) {
            trust.setCertificateEntry("node", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
