package dev.keyescrow.coordinator;

import dev.keyescrow.hsm.PinSource;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.pkcs11.KeyWrapMechanism;
import dev.keyescrow.hsm.pkcs11.Pkcs11Library;
import dev.keyescrow.hsm.pkcs11.Pkcs11Modules;
import dev.keyescrow.hsm.pkcs11.Pkcs11Settings;
import dev.keyescrow.hsm.pkcs11.Pkcs11Token;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import iaik.pkcs.pkcs11.wrapper.PKCS11;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Slot;

/**
 * Fresh, provisioned SoftHSM2 tokens for this test JVM (one module, one token per owner, by
 * label), with the token directory under {@code target/} (the build sets
 * {@code SOFTHSM2_CONF}). Tokens are initialized through the loaded module: a token made by
 * another process after C_Initialize is not seen by this one. A missing SoftHSM2 fails,
 * never skips. (A small copy of the hsm module's test fixture: test classes are not shared
 * between modules.)
 */
final class SoftHsm2Tokens {
    private static final String SO_PIN = "so-pin-5678";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static PKCS11Module module;

    private SoftHsm2Tokens() {
    }

    private static Path configuration() {
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            throw new AssertionError("SOFTHSM2_CONF is not set; run the tests through Maven (Surefire sets it)");
        }
        return Path.of(conf);
    }

    private static Path library() {
        return Pkcs11Library.locateSoftHsm2().orElseThrow(() -> new AssertionError(
                "SoftHSM2 is not installed; install the softhsm2 package"));
    }

    private static synchronized PKCS11Module module() throws Exception {
        if (module == null) {
            Path tokens = configuration().getParent().resolve("tokens");
            if (Files.isDirectory(tokens)) {
                try (var walk = Files.walk(tokens)) {
                    walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(tokens))
                            .forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(tokens);
            module = Pkcs11Modules.shared(library());
        }
        return module;
    }

    /** A freshly initialized and provisioned token whose statements name {@code ownerId}. */
    static synchronized Token provision(String ownerId) throws Exception {
        PKCS11Module m = module();
        String label = ownerId + "-" + COUNTER.incrementAndGet();
        Slot free = null;
        for (Slot slot : m.getSlotList(true)) {
            if (!slot.getToken().getTokenInfo().isTokenInitialized()) {
                free = slot;
            }
        }
        if (free == null) {
            throw new AssertionError("SoftHSM2 offers no free slot");
        }
        String userPin = "user-" + UUIDs.next();
        PKCS11 raw = m.getPKCS11Module();
        char[] padded = String.format("%-32s", label).toCharArray();
        raw.C_InitToken(free.getSlotID(), SO_PIN.toCharArray(), padded, true);
        long session = raw.C_OpenSession(free.getSlotID(), 0x6L, null, null);
        try {
            raw.C_Login(session, 0L, SO_PIN.toCharArray(), true);
            raw.C_InitPIN(session, userPin.toCharArray(), true);
            raw.C_Logout(session);
        } finally {
            raw.C_CloseSession(session);
        }
        Path pins = configuration().getParent().resolve("pins");
        Files.createDirectories(pins);
        Path pinFile = pins.resolve(label);
        Files.writeString(pinFile, userPin + "\n", StandardCharsets.UTF_8);
        return Pkcs11Token.provision(m, new Pkcs11Settings(library(), label, PinSource.fromFile(pinFile),
                KeyWrapMechanism.AES_KEY_WRAP_PAD, ownerId));
    }

    private static final class UUIDs {
        static String next() {
            return java.util.UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
