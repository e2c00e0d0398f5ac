package dev.keyescrow.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code escrow --version}: the release and the SHA-256 of the running jar, so a custodian who
 * built the jar from source can compare it with the reference hash before a ceremony. The build
 * is reproducible (fixed archive timestamps), so one commit gives one hash.
 */
final class JarVersion implements IVersionProvider {
    static final String RELEASE = "escrow 0.1.0";

    @Override
    public String[] getVersion() {
        return new String[] {RELEASE, "jar sha256: " + jarSha256()};
    }

    /** The running jar's SHA-256 in hex, or a note saying the classes were not loaded from a jar. */
    static String jarSha256() {
        Path jar = runningJar();
        return jar == null ? "(not running from a jar)" : sha256Hex(jar);
    }

    static String sha256Hex(Path jar) {
        try (InputStream in = Files.newInputStream(jar)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static Path runningJar() {
        CodeSource source = JarVersion.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            Path path = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(path) ? path : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
