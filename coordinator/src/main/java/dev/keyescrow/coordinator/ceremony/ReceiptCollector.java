package dev.keyescrow.coordinator.ceremony;

import dev.keyescrow.core.wire.ImportReceiptMessage;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The receipts one ceremony waits for: for each share index, the node it was sent to and
 * the SHA-256 of the exact envelope sent. A receipt counts only if it names that node, that
 * envelope digest and that length; its signature is checked by the ledger when it is
 * journaled. Completes when every share is receipted.
 */
final class ReceiptCollector {
    record Expected(String nodeId, int length, String envelopeDigest) {
    }

    private final Map<Integer, Expected> expected;
    private final Set<Integer> received = new TreeSet<>();
    private final CompletableFuture<Void> complete = new CompletableFuture<>();

    ReceiptCollector(Map<Integer, Expected> expected) {
        this.expected = new TreeMap<>(expected);
    }

    /** Why {@code receipt} does not match what was sent, or null when it does. */
    synchronized String mismatch(ImportReceiptMessage receipt) {
        Expected e = expected.get(receipt.index());
        if (e == null) {
            return "share " + receipt.index() + " was not sent in this ceremony";
        }
        if (!e.nodeId().equals(receipt.nodeId())) {
            return "share " + receipt.index() + " was sent to node " + e.nodeId() + ", the receipt is from "
                    + receipt.nodeId();
        }
        if (e.length() != receipt.length() || !e.envelopeDigest().equals(receipt.envelopeDigest())) {
            return "the receipt of share " + receipt.index() + " from node " + receipt.nodeId()
                    + " is for another envelope than the one sent";
        }
        return null;
    }

    synchronized void accepted(int index) {
        received.add(index);
        if (received.size() == expected.size()) {
            complete.complete(null);
        }
    }

    /** Nodes whose receipt is still missing, sorted. */
    synchronized Set<String> missingNodes() {
        Set<String> missing = new TreeSet<>();
        expected.forEach((index, e) -> {
            if (!received.contains(index)) {
                missing.add(e.nodeId());
            }
        });
        return missing;
    }

    CompletableFuture<Void> completion() {
        return complete;
    }
}
