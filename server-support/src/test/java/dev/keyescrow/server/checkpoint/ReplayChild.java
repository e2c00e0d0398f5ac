package dev.keyescrow.server.checkpoint;

import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.JournalRecord;
import dev.keyescrow.journal.ReplayHandler;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A JVM of its own with a small heap (started by {@link StreamedReplayTest}) that starts a
 * ledger from the journal in {@code args[0]}: {@code stream} through {@link CheckpointedReplay},
 * {@code list} by first collecting every record as servers did before, which the small heap
 * cannot hold.
 */
public final class ReplayChild {
    private ReplayChild() {
    }

    static SoftwareP256Signer writer() {
        byte[] scalar = new byte[32];
        for (int i = 0; i < 32; i++) {
            scalar[i] = (byte) (7 + i);
        }
        return SoftwareP256Signer.fromPrivateKey(SecretBytes.moveFrom(scalar));
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        ChainLedger ledger = new ChainLedger();
        if (args[1].equals("stream")) {
            ReplayedJournal opened = CheckpointedReplay.open(directory, writer(), Clock.systemUTC(),
                    ChainLedger.NAME, ledger);
            opened.journal().close();
            System.out.println("applied " + ledger.applied + " from-checkpoint " + opened.checkpointSequence()
                    + " state " + HexFormat.of().formatHex(ledger.stateDigest()));
        } else {
            List<JournalRecord> records = new ArrayList<>();
            ReplayHandler collect = records::add;
            Journal.open(directory, writer(), Clock.systemUTC(), collect).close();
            for (JournalRecord record : records) {
                ledger.apply(record);
            }
            System.out.println("applied " + ledger.applied);
        }
    }

    /** A ledger whose state is a hash chain over every body it was given. */
    static final class ChainLedger implements ReplayedLedger {
        static final String NAME = "chain";
        private byte[] state = new byte[32];
        long applied;

        @Override
        public void apply(JournalRecord record) {
            try {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                sha256.update(state);
                sha256.update(record.body());
                state = sha256.digest();
                applied++;
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public byte[] stateDigest() {
            return state.clone();
        }
    }
}
