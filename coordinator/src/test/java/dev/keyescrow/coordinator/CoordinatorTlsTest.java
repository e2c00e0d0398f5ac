package dev.keyescrow.coordinator;

import dev.keyescrow.server.cluster.ClusterSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.coordinator.config.CoordinatorConfig;
import dev.keyescrow.coordinator.enrolment.Operators;
import dev.keyescrow.hsm.PinSource;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.pkcs11.KeyWrapMechanism;
import dev.keyescrow.hsm.setup.TokenSettings;
import dev.keyescrow.hsm.software.DevelopmentMode;
import dev.keyescrow.hsm.software.SoftwareToken;
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
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outside development mode the API speaks TLS only, with the configured PEM certificate and key. */
class CoordinatorTlsTest {
    @TempDir
    Path dir;

    @Test
    void productionModeServesHttpsOnly() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
        Path pass = Files.createFile(dir.resolve("pass"), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(pass, "passphrase");
        int port = 18701 + new SecureRandom().nextInt(1000);
        CoordinatorConfig config = new CoordinatorConfig("coordinator", false, dir.resolve("state"), "127.0.0.1", 0,
                Path.of(certificate.certificatePath()), Path.of(certificate.privateKeyPath()), 64 * 1024,
                new ClusterSettings("tls-test-" + UUID.randomUUID(), "127.0.0.1", port,
                        List.of("127.0.0.1:" + port)),
                List.of(new Operators.Operator("alice", Operators.hashOf("token"))), List.of(),
                new TokenSettings.Pkcs11(Path.of("libsofthsm2.so"), "coordinator", PinSource.fromFile(pass),
                        KeyWrapMechanism.AES_KEY_WRAP_PAD), Duration.ofSeconds(5));
        try (Token token = SoftwareToken.provision(DevelopmentMode.explicitlyEnabled(), dir.resolve("vault"),
                PinSource.fromFile(pass), "coordinator", new SecureRandom());
             CoordinatorServer server = CoordinatorServer.start(config, token, Clock.systemUTC())) {
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(certificate.certificatePath())).build();
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                    + server.actualPort() + "/v1/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals("coordinator", new JsonObject(health.body()).getString("coordinatorId"));
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.actualPort() + "/v1/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
    }

    private static SSLContext trusting(String pemCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(pemCertificate))) {
            trust.setCertificateEntry("coordinator", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
