package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.CeremonyChecksTest.Result;
import dev.keyescrow.cli.client.TlsTrust;
import dev.keyescrow.coordinator.CoordinatorServer;
import dev.keyescrow.coordinator.config.CoordinatorConfig;
import dev.keyescrow.coordinator.enrolment.Operators;
import dev.keyescrow.hsm.PinSource;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.pkcs11.KeyWrapMechanism;
import dev.keyescrow.hsm.setup.TokenSettings;
import dev.keyescrow.hsm.software.DevelopmentMode;
import dev.keyescrow.hsm.software.SoftwareToken;
import dev.keyescrow.server.cluster.ClusterSettings;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --ca-file}, {@code ESCROW_CA_FILE} and {@code --tls-pin} against a real coordinator
 * serving TLS with a self-signed certificate (production mode, as {@code "dev": false}).
 */
class TlsTrustCommandTest {
    @TempDir
    static Path dir;

    private static SelfSignedCertificate certificate;
    private static Token token;
    private static CoordinatorServer server;
    private static String url;
    private static Path tokenFile;

    @BeforeAll
    static void startCoordinator() throws Exception {
        certificate = SelfSignedCertificate.create("localhost");
        Path pass = Files.createFile(dir.resolve("pass"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Files.writeString(pass, "passphrase");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        CoordinatorConfig config = new CoordinatorConfig("coordinator", false, dir.resolve("state"), "127.0.0.1", 0,
                Path.of(certificate.certificatePath()), Path.of(certificate.privateKeyPath()), 64 * 1024,
                new ClusterSettings("cli-tls-" + UUID.randomUUID(), "127.0.0.1", port, List.of("127.0.0.1:" + port)),
                List.of(new Operators.Operator("alice", Operators.hashOf("operator-token"))), List.of(),
                new TokenSettings.Pkcs11(Path.of("libsofthsm2.so"), "coordinator", PinSource.fromFile(pass),
                        KeyWrapMechanism.AES_KEY_WRAP_PAD), Duration.ofSeconds(5));
        token = SoftwareToken.provision(DevelopmentMode.explicitlyEnabled(), dir.resolve("vault"),
                PinSource.fromFile(pass), "coordinator", new SecureRandom());
        server = CoordinatorServer.start(config, token, Clock.systemUTC());
        url = "https://localhost:" + server.actualPort();
        tokenFile = dir.resolve("operator.token");
        Files.writeString(tokenFile, "operator-token\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (token != null) {
            token.close();
        }
    }

    private static String pin() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of(certificate.certificatePath()))) {
            return TlsTrust.pinOf((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
    }

    private static Result status(String... extra) {
        List<String> args = new ArrayList<>(List.of("status", "--coordinator", url, "--token-file",
                tokenFile.toString()));
        args.addAll(List.of(extra));
        return CeremonyChecksTest.escrow("", args.toArray(String[]::new));
    }

    @Test
    void withoutTheCa_theHandshakeFailsWithAMessageNamingCaFile() {
        Result r = status();
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("--ca-file"), r.out());
        assertTrue(r.out().contains("over TLS"), r.out());
    }

    @Test
    void withTheCaFile_statusWorks() {
        Result r = status("--ca-file", certificate.certificatePath());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("coordinator  up"), r.out());
    }

    @Test
    void theCaFileChecksTheHostName() {
        // the certificate names localhost, not 127.0.0.1: a CA vouches for a name, so this is refused
        Result r = CeremonyChecksTest.escrow("", "status", "--coordinator", "https://127.0.0.1:" + server.actualPort(),
                "--token-file", tokenFile.toString(), "--ca-file", certificate.certificatePath());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("over TLS"), r.out());
    }

    @Test
    void theRightPinAlone_isTrusted_andAWrongPinIsRefused() throws Exception {
        Result pinned = status("--tls-pin", pin());
        assertEquals(0, pinned.exit(), pinned.out() + pinned.err());

        String wrong = "sha256:" + "00".repeat(32);
        Result refused = status("--tls-pin", wrong);
        assertEquals(1, refused.exit(), refused.out() + refused.err());
        assertTrue(refused.out().contains("the server's public key is " + pin() + ", not a --tls-pin given"),
                refused.out());
        assertFalse(refused.out().contains("coordinator  up"), refused.out());

        Result both = status("--ca-file", certificate.certificatePath(), "--tls-pin", wrong);
        assertEquals(1, both.exit(), "a CA-valid certificate with another key is still refused: " + both.out());
        Result bothRight = status("--ca-file", certificate.certificatePath(), "--tls-pin", pin());
        assertEquals(0, bothRight.exit(), bothRight.out() + bothRight.err());
    }

    @Test
    void aMalformedPinOrCaFile_isBadInput() throws Exception {
        Result pin = status("--tls-pin", "md5:abcd");
        assertEquals(2, pin.exit(), pin.err());
        assertTrue(pin.err().contains("sha256:"), pin.err());
        Path notPem = dir.resolve("not.pem");
        Files.writeString(notPem, "not a certificate\n");
        Result ca = status("--ca-file", notPem.toString());
        assertEquals(2, ca.exit(), ca.err());
        assertTrue(ca.err().contains("cannot use " + notPem + " as a CA file"), ca.err());
    }

    @Test
    void nodeSideCommandsTakeTheSameOptions() throws Exception {
        // a custodian command against the TLS server: without the CA it cannot get past the handshake;
        // with it, the call gets an HTTP answer (this server is no node, so the request is unknown)
        Result untrusted = CeremonyChecksTest.escrow("", "show", "req-1", "--node", url);
        assertEquals(1, untrusted.exit(), untrusted.out() + untrusted.err());
        assertTrue((untrusted.out() + untrusted.err()).contains("--ca-file"), untrusted.out() + untrusted.err());
        Result trusted = CeremonyChecksTest.escrow("", "show", "req-1", "--node", url, "--tls-pin", pin());
        assertFalse((trusted.out() + trusted.err()).contains("over TLS"), trusted.out() + trusted.err());
    }

    @Test
    void theEnvironmentVariableNamesTheCaFile_inARealProcess() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Escrow.class.getName(), "status", "--coordinator", url,
                "--token-file", tokenFile.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove(TlsOptions.CA_FILE_VARIABLE);
        builder.environment().remove(TlsOptions.PIN_VARIABLE);
        assertEquals(1, run(builder), "without the variable the certificate is not trusted");
        builder.environment().put(TlsOptions.CA_FILE_VARIABLE, certificate.certificatePath());
        assertEquals(0, run(builder), "with ESCROW_CA_FILE it is");
    }

    private static int run(ProcessBuilder builder) throws Exception {
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), output);
        return process.exitValue();
    }
}
