package dev.keyescrow.cli.chaos;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Everything a server acknowledged to the driver (a 2xx answer), recorded as it arrives. The
 * checker looks for each in the journals afterwards: nothing acknowledged may be lost.
 */
public final class Acknowledgements {
    /** A request the coordinator answered 201 for. */
    public record Created(String requestId, String keyId, String operation) {
    }

    /** A custodian's answer that their node acknowledged. */
    public record Answer(String requestId, String custodianId, String nodeId, String decision) {
    }

    /** A countersignature the coordinator acknowledged. */
    public record Countersignature(String keyId, int version, String custodianId) {
    }

    /** A cancel the coordinator acknowledged. */
    public record Cancel(String requestId) {
    }

    /** A shred receipt the coordinator showed as verified in a request's view. */
    public record ShredReceipt(String requestId, String nodeId) {
    }

    private final ConcurrentLinkedQueue<Created> created = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Countersignature> countersignatures = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Cancel> cancels = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<ShredReceipt> receipts = new ConcurrentLinkedQueue<>();

    void created(String requestId, String keyId, String operation) {
        created.add(new Created(requestId, keyId, operation));
    }

    void answered(String requestId, String custodianId, String nodeId, String decision) {
        answers.add(new Answer(requestId, custodianId, nodeId, decision));
    }

    void countersigned(String keyId, int version, String custodianId) {
        countersignatures.add(new Countersignature(keyId, version, custodianId));
    }

    void cancelled(String requestId) {
        cancels.add(new Cancel(requestId));
    }

    void shredReceipt(String requestId, String nodeId) {
        receipts.add(new ShredReceipt(requestId, nodeId));
    }

    public List<Created> created() {
        return List.copyOf(created);
    }

    public List<Answer> answers() {
        return List.copyOf(answers);
    }

    public List<Countersignature> countersignatures() {
        return List.copyOf(countersignatures);
    }

    public List<Cancel> cancels() {
        return List.copyOf(cancels);
    }

    public List<ShredReceipt> receipts() {
        return List.copyOf(receipts);
    }

    public int total() {
        return created.size() + answers.size() + countersignatures.size() + cancels.size() + receipts.size();
    }
}
