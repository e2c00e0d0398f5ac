package dev.keyescrow.cli.client;

import dev.keyescrow.core.signature.KeyFingerprint;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Which TLS servers a client trusts: the JVM's default trust store; or the certificates of a
 * PEM file ({@code --ca-file}), with host names checked as usual; optionally narrowed by pins,
 * each the SHA-256 of a server certificate's public key (its DER SubjectPublicKeyInfo). With
 * pins and no CA file, a server is trusted by its pinned key alone (a self-signed certificate,
 * like an SSH host key): its chain and host name are not checked.
 */
public final class TlsTrust {
    private static final String PIN_PREFIX = "sha256:";

    private final Path caFile;
    private final List<String> pins;
    private final SSLContext context;

    private TlsTrust(Path caFile, List<String> pins, SSLContext context) {
        this.caFile = caFile;
        this.pins = pins;
        this.context = context;
    }

    /** The JVM's default trust store, no pins. */
    public static TlsTrust systemDefault() {
        try {
            return new TlsTrust(null, List.of(), SSLContext.getDefault());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    /**
     * @param caFile PEM certificates to trust instead of the default store, or null
     * @param pins   {@code sha256:<64 hex>} public-key pins (may be empty)
     * @throws IllegalArgumentException naming what is wrong with the file or a pin
     */
    public static TlsTrust of(Path caFile, List<String> pins) {
        List<String> normalized = pins.stream().map(TlsTrust::pin).toList();
        if (caFile == null && normalized.isEmpty()) {
            return systemDefault();
        }
        try {
            X509ExtendedTrustManager chain = caFile == null ? null : trustManagerFor(load(caFile));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new PinningTrustManager(chain, normalized)}, null);
            return new TlsTrust(caFile, normalized, context);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use " + caFile + " as a CA file: " + e.getMessage());
        }
    }

    /** The SHA-256 fingerprint of a certificate's public key, as a pin is written. */
    public static String pinOf(X509Certificate certificate) {
        return PIN_PREFIX + KeyFingerprint.of(certificate.getPublicKey().getEncoded());
    }

    SSLContext sslContext() {
        return context;
    }

    /** What to tell a user whose handshake failed: which trust was used and how to change it. */
    String advice() {
        if (caFile == null && pins.isEmpty()) {
            return "the server's certificate is not trusted by this machine's default trust store;"
                    + " give the CA that issued it with --ca-file PEM (or ESCROW_CA_FILE), or pin its key with"
                    + " --tls-pin sha256:HEX";
        }
        return "the server's certificate is not trusted under " + (caFile == null ? "" : "--ca-file " + caFile)
                + (caFile != null && !pins.isEmpty() ? " and " : "") + (pins.isEmpty() ? "" : "--tls-pin")
                + "; check --ca-file PEM (or ESCROW_CA_FILE) and --tls-pin (or ESCROW_TLS_PIN)";
    }

    private static String pin(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (!value.startsWith(PIN_PREFIX) || !value.substring(PIN_PREFIX.length()).matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a TLS pin is sha256: followed by 64 hex digits (the SHA-256 of the"
                    + " server certificate's public key), got '" + text + "'");
        }
        return value;
    }

    private static Collection<? extends Certificate> load(Path caFile) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new CertificateException("no certificate in it");
            }
            return certificates;
        } catch (IOException e) {
            throw new CertificateException("cannot read it (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static X509ExtendedTrustManager trustManagerFor(Collection<? extends Certificate> certificates)
            throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new KeyStoreException(e);
        }
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                return extended;
            }
        }
        throw new KeyStoreException("no X.509 trust manager");
    }

    /** The PKIX checks of the CA file (host name included), then the pins on the server's own certificate. */
    private static final class PinningTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager chain;
        private final List<String> pins;

        PinningTrustManager(X509ExtendedTrustManager chain, List<String> pins) {
            this.chain = chain;
            this.pins = pins;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certificates, String authType, SSLEngine engine)
                throws CertificateException {
            if (chain != null) {
                chain.checkServerTrusted(certificates, authType, engine);
            }
            checkPins(certificates);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certificates, String authType, Socket socket)
                throws CertificateException {
            if (chain != null) {
                chain.checkServerTrusted(certificates, authType, socket);
            }
            checkPins(certificates);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
            if (chain != null) {
                chain.checkServerTrusted(certificates, authType);
            }
            checkPins(certificates);
        }

        private void checkPins(X509Certificate[] certificates) throws CertificateException {
            if (pins.isEmpty()) {
                return;
            }
            if (certificates == null || certificates.length == 0) {
                throw new PinMismatchException("the server sent no certificate");
            }
            String actual = pinOf(certificates[0]);
            if (!pins.contains(actual)) {
                throw new PinMismatchException("the server's public key is " + actual + ", not a --tls-pin given");
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] certificates, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a client does not trust clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] certificates, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a client does not trust clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
            throw new CertificateException("a client does not trust clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return chain == null ? new X509Certificate[0] : chain.getAcceptedIssuers();
        }
    }

    /** A server whose key is not pinned: its message names the key it has, which is no secret. */
    static final class PinMismatchException extends CertificateException {
        PinMismatchException(String message) {
            super(message);
        }
    }
}
