package dev.keyescrow.cli;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.coordinator.ledger.NodeStatements;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.Statements;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code escrow audit show}: lists every countersignature, custodian answer, import receipt and
 * shred receipt the coordinator journaled ({@code GET /v1/audit/signatures}) and verifies each
 * again here, with the signer's pinned key: custodian keys from manifests that verify under the
 * coordinator key of step A1, node identity keys as the coordinator pins them (fingerprints
 * printed, or checked with {@code --node-fingerprint}). The coordinator's word is not taken for
 * any of them: one that does not verify is named, and the command exits 2.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"List every countersignature, custodian answer, import and shred receipt and verify each with"
                + " the signer's pinned key; exit 2 if any does not verify.",
            "Give the coordinator key of step A1 (--coordinator-key, or --coordinator-fingerprint: the coordinator's"
                + " journal key is checked against it); node keys are the coordinator's pins, whose fingerprints are"
                + " printed for comparison with step A3 (or checked with --node-fingerprint ID=HEX)."})
final class AuditShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CoordinatorOptionsMixin coordinator;

    @Option(names = "--coordinator-key", paramLabel = "BASE64", description = "the coordinator's public key (step A1)")
    String coordinatorKey;

    @Option(names = "--coordinator-fingerprint", paramLabel = "HEX",
            description = "the coordinator key's SHA-256 (step A1), compared with the key its journal is signed with")
    String coordinatorFingerprint;

    @Option(names = "--node-fingerprint", paramLabel = "ID=HEX",
            description = "a node's identity key SHA-256 of step A3 (repeatable); the coordinator's pin must have it")
    Map<String, String> nodeFingerprints = new TreeMap<>();

    private final List<String> failures = new ArrayList<>();
    private final Map<String, Manifest> manifests = new HashMap<>();
    private final Map<String, String> manifestProblems = new HashMap<>();
    private int checked;

    @Override
    public Integer call() throws Exception {
        Terminal terminal = KeyCommands.terminal(spec);
        CoordinatorClient client = coordinator.options.client();
        try {
            byte[] pinned = coordinatorKey(client);
            terminal.out().println("coordinator key SHA-256 " + EcdsaP256.fingerprint(pinned) + " (pinned)");
            Map<String, byte[]> nodes = nodeKeys(client, terminal);
            JsonObject all = client.auditSignatures();
            for (JsonObject c : objects(all, "countersignatures")) {
                String what = "countersignature " + c.getString("keyId") + " v" + c.getInteger("version") + " by "
                        + c.getString("custodianId");
                check(terminal, what, () -> manifest(client, c.getString("keyId"), c.getInteger("version"), pinned)
                        .verifyCountersignature(c.getString("custodianId"), signature(c)));
            }
            for (JsonObject a : objects(all, "answers")) {
                String what = "answer " + a.getString("requestId") + " " + a.getString("decision") + " by "
                        + a.getString("custodianId") + " at " + a.getString("nodeId");
                check(terminal, what, () -> verifyAnswer(client, a, pinned));
            }
            for (JsonObject r : objects(all, "importReceipts")) {
                String what = "import receipt " + r.getString("keyId") + " v" + r.getInteger("version") + " share "
                        + r.getInteger("index") + " by " + r.getString("nodeId");
                check(terminal, what, () -> verifyImport(client, r, pinned, nodes));
            }
            for (JsonObject s : objects(all, "shredReceipts")) {
                String what = "shred receipt " + s.getString("requestId") + " by " + s.getString("nodeId") + " epoch "
                        + s.getLong("epoch") + " " + s.getJsonArray("destroyed").encode();
                check(terminal, what, () -> verifyShred(s, nodes));
            }
            for (JsonObject r : objects(all, "rollbackReceipts")) {
                String what = "rollback receipt " + r.getString("keyId") + " v" + r.getInteger("version") + " by "
                        + r.getString("nodeId") + " epoch " + r.getLong("epoch") + " "
                        + r.getJsonArray("destroyed").encode();
                check(terminal, what, () -> verifyRollbackReceipt(r, nodes));
            }
        } catch (ApiException e) {
            terminal.err().println("escrow audit show: " + e.getMessage());
            return e.status() >= 400 && e.status() < 500 ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE;
        }
        if (failures.isEmpty()) {
            terminal.out().println(checked + " signatures, each verified under its signer's pinned key");
            return ExitCodes.OK;
        }
        terminal.err().println("escrow audit show: " + failures.size() + " of " + checked
                + " signatures do NOT verify: " + String.join("; ", failures));
        return ExitCodes.BAD_INPUT;
    }

    /** One verification; a failure is printed and counted, never thrown past the list. */
    private interface Verification {
        void run() throws Exception;
    }

    private void check(Terminal terminal, String what, Verification verification) {
        checked++;
        try {
            verification.run();
            terminal.out().println("OK      " + what);
        } catch (ApiException e) {
            fail(terminal, what, e.getMessage());
        } catch (Exception e) {
            fail(terminal, what, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private void fail(Terminal terminal, String what, String why) {
        terminal.out().println("FAILED  " + what + ": " + why);
        failures.add(what);
    }

    private byte[] coordinatorKey(CoordinatorClient client) throws BadInputException, ApiException {
        if ((coordinatorKey == null) == (coordinatorFingerprint == null)) {
            throw new BadInputException("give the coordinator key of step A1: --coordinator-key BASE64 or"
                    + " --coordinator-fingerprint HEX");
        }
        if (coordinatorKey != null) {
            try {
                byte[] key = Base64.getDecoder().decode(coordinatorKey.trim());
                EcdsaP256.fingerprint(key);
                return key;
            } catch (IllegalArgumentException | SignatureException e) {
                throw new BadInputException("--coordinator-key is not a P-256 public key in base64");
            }
        }
        String expected = coordinatorFingerprint.trim().replace(":", "").toLowerCase(Locale.ROOT);
        try {
            byte[] key = Base64.getDecoder().decode(client.audit().getString("writerPublicKey", ""));
            String actual = EcdsaP256.fingerprint(key);
            if (!actual.equals(expected)) {
                throw new BadInputException("the coordinator's journal key has fingerprint " + actual + ", not the "
                        + expected + " given");
            }
            return key;
        } catch (IllegalArgumentException | SignatureException e) {
            throw new BadInputException("the coordinator's writerPublicKey is not a P-256 public key");
        }
    }

    /** Node identity keys as the coordinator pins them, each checked against --node-fingerprint when given. */
    private Map<String, byte[]> nodeKeys(CoordinatorClient client, Terminal terminal)
            throws ApiException, BadInputException {
        Map<String, byte[]> keys = new TreeMap<>();
        for (Object o : client.nodes()) {
            JsonObject n = (JsonObject) o;
            byte[] key;
            String fingerprint;
            try {
                key = Base64.getDecoder().decode(n.getString("identityPublicKey", ""));
                fingerprint = EcdsaP256.fingerprint(key);
            } catch (IllegalArgumentException | SignatureException e) {
                throw new BadInputException("node " + n.getString("id") + " has no P-256 identity key");
            }
            String expected = nodeFingerprints.get(n.getString("id"));
            if (expected != null && !expected.trim().toLowerCase(Locale.ROOT).equals(fingerprint)) {
                throw new BadInputException("node " + n.getString("id") + " is pinned with identity key " + fingerprint
                        + ", not the " + expected + " given");
            }
            terminal.out().println("node " + n.getString("id") + " identity key SHA-256 " + fingerprint
                    + (expected != null ? " (matches --node-fingerprint)" : " (compare with enrolment, step A3)"));
            keys.put(n.getString("id"), key);
        }
        for (String id : nodeFingerprints.keySet()) {
            if (!keys.containsKey(id)) {
                throw new BadInputException("the coordinator pins no node " + id);
            }
        }
        return keys;
    }

    /** A manifest whose digest and coordinator signature verify under the pinned key, fetched once per version. */
    private Manifest manifest(CoordinatorClient client, String keyId, int version, byte[] pinned) throws Exception {
        String id = keyId + "/" + version;
        if (manifestProblems.containsKey(id)) {
            throw new SignatureException(manifestProblems.get(id));
        }
        Manifest found = manifests.get(id);
        if (found == null) {
            try {
                found = CustodianDesk.reviewManifest(client.manifest(keyId, version), keyId, version, pinned);
            } catch (CustodianDesk.ReviewException e) {
                manifestProblems.put(id, "manifest " + id + ": " + e.getMessage());
                throw new SignatureException(manifestProblems.get(id));
            }
            manifests.put(id, found);
        }
        return found;
    }

    private void verifyAnswer(CoordinatorClient client, JsonObject a, byte[] pinned) throws Exception {
        JsonObject view = client.request(a.getString("requestId"));
        CanonicalRequest request = CanonicalRequest.parse(view.getString("canonical", "")
                .getBytes(StandardCharsets.UTF_8));
        CoordinatorStatement.verify(pinned, Kind.REQUEST, request.digest(), Base64.getDecoder()
                .decode(view.getString("coordinatorSignature", "")));
        if (!request.digest().equals(a.getString("requestDigest"))) {
            throw new SignatureException("the answer is to digest " + a.getString("requestDigest")
                    + ", not the request's " + request.digest());
        }
        Manifest manifest = manifest(client, request.keyId(), request.version(), pinned);
        new Approval(request.requestId(), request.digest(), a.getString("custodianId"),
                Decision.valueOf(a.getString("decision")), signature(a))
                .verify(manifest.holderOf(a.getString("custodianId")).publicKey());
    }

    private void verifyImport(CoordinatorClient client, JsonObject r, byte[] pinned, Map<String, byte[]> nodes)
            throws Exception {
        Manifest manifest = manifest(client, r.getString("keyId"), r.getInteger("version"), pinned);
        int index = r.getInteger("index");
        if (index < 1 || index > manifest.shareCount()
                || !manifest.holders().get(index - 1).nodeId().equals(r.getString("nodeId"))) {
            throw new SignatureException("the manifest does not place share " + index + " on " + r.getString("nodeId"));
        }
        ShareRef ref = new ShareRef(r.getString("keyId"), r.getInteger("version"), index, r.getInteger("length"));
        EcdsaP256.verify(nodeKey(nodes, r.getString("nodeId")), NodeStatements.importReceipt(r.getString("nodeId"),
                ref, r.getString("envelopeDigest"), r.getString("storedBlobDigest")), signature(r));
    }

    /**
     * A rollback receipt may only name shares of the rolled-back version. It is the node's
     * rollback receipt statement, which names the rollback; a receipt journaled in the old form
     * (statement {@code keyescrow-shred-receipt-v1}, no manifest digest) is the token's shred statement.
     */
    private static void verifyRollbackReceipt(JsonObject r, Map<String, byte[]> nodes) throws Exception {
        String prefix = r.getString("keyId") + "/" + r.getInteger("version") + "/";
        for (Object o : r.getJsonArray("destroyed")) {
            if (!String.valueOf(o).startsWith(prefix)) {
                throw new FormatException("destroyed share " + o + " is not a share of " + prefix);
            }
        }
        String statement = r.getString("statement", Statements.SHRED_RECEIPT);
        if (Statements.SHRED_RECEIPT.equals(statement) && !r.containsKey("manifestDigest")) {
            verifyShred(r, nodes);
        } else if (Statements.ROLLBACK_RECEIPT.equals(statement)) {
            EcdsaP256.verify(nodeKey(nodes, r.getString("nodeId")), Statements.rollbackReceipt(r.getString("nodeId"),
                    r.getString("keyId"), r.getInteger("version"), r.getString("manifestDigest"), r.getLong("epoch"),
                    shareRefs(r)), signature(r));
        } else {
            throw new FormatException("rollback receipt statement " + statement + " is not known");
        }
    }

    private static void verifyShred(JsonObject s, Map<String, byte[]> nodes) throws Exception {
        EcdsaP256.verify(nodeKey(nodes, s.getString("nodeId")), Statements.shredReceipt(s.getString("nodeId"),
                s.getLong("epoch"), shareRefs(s)), signature(s));
    }

    private static List<ShareRef> shareRefs(JsonObject s) throws FormatException {
        List<ShareRef> destroyed = new ArrayList<>();
        for (Object o : s.getJsonArray("destroyed")) {
            String[] parts = String.valueOf(o).split("/", -1);
            if (parts.length != 3) {
                throw new FormatException("destroyed share " + o + " is not keyId/version/index");
            }
            // the shred statement carries no length: 1 stands in for it and is never read
            destroyed.add(new ShareRef(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), 1));
        }
        return destroyed;
    }

    private static byte[] nodeKey(Map<String, byte[]> nodes, String nodeId) throws SignatureException {
        byte[] key = nodes.get(nodeId);
        if (key == null) {
            throw new SignatureException("node " + nodeId + " is not pinned by the coordinator");
        }
        return key;
    }

    private static byte[] signature(JsonObject o) {
        return Base64.getDecoder().decode(o.getString("signature", ""));
    }

    private static List<JsonObject> objects(JsonObject all, String name) {
        List<JsonObject> out = new ArrayList<>();
        for (Object o : all.getJsonArray(name, new io.vertx.core.json.JsonArray())) {
            out.add((JsonObject) o);
        }
        return out;
    }
}
