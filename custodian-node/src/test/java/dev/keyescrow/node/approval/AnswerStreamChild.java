package dev.keyescrow.node.approval;

import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.node.Ceremony;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * Child process of {@link NodeCrashTest}: a node service that admits requests and accepts
 * custodian answers in a loop, printing {@code ACK <requestId>} after each answer is durable,
 * until it is killed.
 */
public final class AnswerStreamChild {
    private AnswerStreamChild() {
    }

    static Ceremony ceremony() throws Exception {
        SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
        seeded.setSeed(20261128L);
        return new Ceremony(seeded, "stream-key");
    }

    static SoftwareP256Signer identity() {
        byte[] scalar = new byte[32];
        scalar[31] = 7;
        return SoftwareP256Signer.fromPrivateKey(SecretBytes.copyFrom(scalar));
    }

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        int first = Integer.parseInt(args[1]);
        // a third argument: checkpoint after every n-th record (NodeCheckpointCrashTest kills during those writes)
        dev.keyescrow.server.checkpoint.CheckpointSchedule schedule = args.length > 2
                ? new dev.keyescrow.server.checkpoint.CheckpointSchedule(Long.parseLong(args[2]))
                : dev.keyescrow.server.checkpoint.CheckpointSchedule.DEFAULT;
        Ceremony ceremony = ceremony();
        Clock clock = Clock.fixed(Ceremony.NOW.plusSeconds(1), java.time.ZoneOffset.UTC);
        try (NodeService node = NodeService.open("node-a", ceremony.coordinator.publicKey(), state, identity(), clock,
                RequestTimeLimits.DEFAULT, schedule)) {
            node.submit(ceremony.manifestEvent());
            for (int c = 1; c <= 5; c++) {
                node.submit(ceremony.countersignature(c));
            }
            node.submit(Ceremony.held("stream-key", 1, 1));
            System.out.println("READY");
            System.out.flush();
            for (int i = first; ; i++) {
                CanonicalRequest request = ceremony.useRequest("req-" + i);
                node.submit(ceremony.requestEvent(request));
                node.answer(ceremony.answer(request, 1, Decision.APPROVE));
                System.out.println("ACK req-" + i);
                System.out.flush();
            }
        }
    }
}
