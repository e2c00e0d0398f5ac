package dev.keyescrow.hsm.pkcs11;

import dev.keyescrow.hsm.EpochRotation;
import dev.keyescrow.hsm.PinSource;
import dev.keyescrow.hsm.Release;
import dev.keyescrow.hsm.ReleaseRequest;
import dev.keyescrow.hsm.StoredShare;
import dev.keyescrow.hsm.spec.Statements;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The child process of {@link RotationCrashTest}: a node that recovers, then rotates one
 * epoch (shredding its lowest-index share), announcing each named crash point on stdout.
 * At the point it was told to stop at, it says so and waits to be killed with SIGKILL.
 * In {@code verify} mode it recovers and releases every stored share for one request.
 *
 * <p>Arguments: {@code rotate|verify storeDir tokenLabel pinFile crashPoint|ephemeralKeyHex}.
 */
public final class RotationChild {
    /** Where a rotation can be killed, in the order they are reached. */
    enum CrashPoint { AFTER_NEW_KEK, MID_REWRAP, BEFORE_MARKER, AFTER_MARKER, AFTER_COMMIT, NONE }

    private RotationChild() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        DirectoryBlobStore store = new DirectoryBlobStore(Path.of(args[1]));
        Pkcs11Settings settings = new Pkcs11Settings(Pkcs11Library.locate().orElseThrow(), args[2],
                PinSource.fromFile(Path.of(args[3])), KeyWrapMechanism.AES_KEY_WRAP_PAD, "node-crash");
        Pkcs11Token token = Pkcs11Token.open(Pkcs11Modules.shared(settings.library()), settings);
        long epoch = store.recover(token);
        if (mode.equals("verify")) {
            verify(token, store, epoch, HexFormat.of().parseHex(args[4]));
        } else {
            rotate(token, store, epoch, CrashPoint.valueOf(args[4]));
        }
        token.close();
        System.out.flush();
        System.exit(0);
    }

    private static void rotate(Pkcs11Token token, DirectoryBlobStore store, long epoch, CrashPoint stopAt)
            throws Exception {
        List<StoredShare> all = store.list(epoch);
        StoredShare destroyed = all.get(0);
        List<StoredShare> survivors = all.subList(1, all.size());
        EpochRotation rotation = token.beginRotation();
        point(CrashPoint.AFTER_NEW_KEK, stopAt);
        int batch = 5;
        for (int i = 0; i < survivors.size(); i += batch) {
            List<StoredShare> rewrapped = rotation.rewrap(survivors.subList(i, Math.min(survivors.size(), i + batch)));
            store.put(rotation.toEpoch(), rewrapped);
            if (i == 0) {
                point(CrashPoint.MID_REWRAP, stopAt);
            }
        }
        point(CrashPoint.BEFORE_MARKER, stopAt);
        store.markComplete(rotation.toEpoch());
        point(CrashPoint.AFTER_MARKER, stopAt);
        rotation.commit(List.of(destroyed.ref()));
        point(CrashPoint.AFTER_COMMIT, stopAt);
        store.deleteEpochsExcept(rotation.toEpoch());
        System.out.println("ROTATED " + rotation.toEpoch());
    }

    private static void point(CrashPoint reached, CrashPoint stopAt) throws InterruptedException {
        if (reached == stopAt) {
            System.out.println("CRASH-POINT " + reached);
            System.out.flush();
            Thread.sleep(60_000); // the parent kills us here with SIGKILL
            System.exit(3);       // never reached unless the parent failed to kill
        }
    }

    private static void verify(Pkcs11Token token, DirectoryBlobStore store, long epoch, byte[] ephemeralPublicKey)
            throws Exception {
        System.out.println("EPOCHS " + token.epochs() + " COMPLETE " + epoch);
        List<String> lines = new ArrayList<>();
        byte[] digest = Statements.sha256("req-crash".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (StoredShare share : store.list(epoch)) {
            Release release = token.release(new ReleaseRequest("req-crash", digest, ephemeralPublicKey, share));
            lines.add("RELEASE " + share.ref().index() + " " + HexFormat.of().formatHex(release.wrapped()));
        }
        lines.forEach(System.out::println);
    }
}
