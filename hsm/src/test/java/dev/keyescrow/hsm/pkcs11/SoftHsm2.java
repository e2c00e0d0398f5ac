package dev.keyescrow.hsm.pkcs11;

import dev.keyescrow.hsm.PinSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Slot;
import iaik.pkcs.pkcs11.wrapper.PKCS11;

/**
 * The one SoftHSM2 module of this test JVM, with its token directory under {@code target/}
 * (the build sets {@code SOFTHSM2_CONF}), and fresh tokens by label. Tokens are initialized
 * through the loaded module (C_InitToken, C_InitPIN): a token made by another process
 * after C_Initialize is not seen by this one. A missing SoftHSM2 fails, never skips.
 */
public final class SoftHsm2 {
    public static final String SO_PIN = "so-pin-5678";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static PKCS11Module module;

    private SoftHsm2() {
    }

    public static Path library() {
        return Pkcs11Library.locateSoftHsm2().orElseThrow(() -> new AssertionError(
                "SoftHSM2 is not installed (looked in " + Pkcs11Library.SOFTHSM2_LOCATIONS
                        + "); install the softhsm2 package"));
    }

    public static Path configuration() {
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            throw new AssertionError("SOFTHSM2_CONF is not set; run the tests through Maven (Surefire sets it)");
        }
        return Path.of(conf);
    }

    public static synchronized PKCS11Module module() throws Exception {
        if (module == null) {
            Path tokens = configuration().getParent().resolve("tokens");
            // tokens of earlier runs would only slow slot listing: start each test JVM empty
            if (Files.isDirectory(tokens)) {
                try (var walk = Files.walk(tokens)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(tokens))
                            .forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(tokens);
            module = Pkcs11Modules.shared(library());
        }
        return module;
    }

    /** Initializes a fresh token with a unique label; its user PIN is in a file beside the configuration. */
    public static synchronized FreshToken freshToken(String prefix) throws Exception {
        PKCS11Module m = module();
        String label = prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        if (label.length() > 32) {
            label = label.substring(label.length() - 32);
        }
        Slot free = null;
        for (Slot slot : m.getSlotList(true)) {
            if (!slot.getToken().getTokenInfo().isTokenInitialized()) {
                free = slot;
            }
        }
        if (free == null) {
            throw new AssertionError("SoftHSM2 offers no free slot");
        }
        String userPin = "user-" + COUNTER.get();
        PKCS11 raw = m.getPKCS11Module();
        // the label must be blank-padded to 32 characters: the native wrapper copies 32 bytes
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
        return new FreshToken(label, PinSource.fromFile(pinFile));
    }

    /** A fresh token's label and PIN source. */
    public record FreshToken(String label, PinSource pin) {
        /** A logged-in wrapper token, for tests that work below the {@code Token} port. */
        public org.xipki.pkcs11.wrapper.PKCS11Token login() throws Exception {
            for (Slot slot : module().getSlotList(true)) {
                if (label.equals(slot.getToken().getTokenInfo().getLabel().trim())) {
                    char[] secret = pin.read();
                    return new org.xipki.pkcs11.wrapper.PKCS11Token(slot.getToken(), false, secret);
                }
            }
            throw new AssertionError("token " + label + " vanished");
        }

        public Pkcs11Settings settings(String nodeId) {
            return new Pkcs11Settings(library(), label, pin, KeyWrapMechanism.AES_KEY_WRAP_PAD, nodeId);
        }
    }
}
