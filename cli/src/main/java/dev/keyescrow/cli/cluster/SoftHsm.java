package dev.keyescrow.cli.cluster;

import dev.keyescrow.hsm.pkcs11.Pkcs11Library;
import dev.keyescrow.journal.files.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * SoftHSM2 for a local cluster: each member gets its own configuration and token directory
 * (SoftHSM2 reads {@code SOFTHSM2_CONF} once per process) and one token labelled with its id,
 * initialized with {@code softhsm2-util}.
 */
final class SoftHsm {
    private final Path library;
    private final Path util;

    private SoftHsm(Path library, Path util) {
        this.library = library;
        this.util = util;
    }

    /** SoftHSM2, if both its library and {@code softhsm2-util} are installed. */
    static Optional<SoftHsm> find() {
        Optional<Path> library = Pkcs11Library.locateSoftHsm2();
        Optional<Path> util = List.of(Path.of("/usr/bin/softhsm2-util"), Path.of("/usr/local/bin/softhsm2-util"))
                .stream().filter(Files::isExecutable).findFirst();
        return library.isPresent() && util.isPresent() ? Optional.of(new SoftHsm(library.get(), util.get()))
                : Optional.empty();
    }

    Path library() {
        return library;
    }

    /** Writes {@code dir/softhsm2.conf} and initializes the member's token; returns the configuration path. */
    Path initialize(Path dir, String label, char[] pin, char[] soPin) throws IOException, InterruptedException {
        Path tokens = dir.resolve("tokens");
        PrivateFiles.createDirectories(tokens);
        Path conf = dir.resolve("softhsm2.conf");
        PrivateFiles.replace(conf, ("directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
                + "log.level = ERROR\nslots.removable = false\n").getBytes(StandardCharsets.UTF_8));
        ProcessBuilder builder = new ProcessBuilder(util.toString(), "--init-token", "--free", "--label", label,
                "--pin", new String(pin), "--so-pin", new String(soPin));
        builder.environment().putAll(environment(conf));
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("softhsm2-util could not initialize the token " + label + ": " + output.trim());
        }
        return conf;
    }

    static Map<String, String> environment(Path conf) {
        return Map.of("SOFTHSM2_CONF", conf.toString());
    }
}
