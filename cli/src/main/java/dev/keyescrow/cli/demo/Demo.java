package dev.keyescrow.cli.demo;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.cluster.MemberJournal;
import dev.keyescrow.cli.cluster.MemberProcess;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.cli.custodian.ReviewedRequest;
import dev.keyescrow.cli.frost.JdkEd25519;
import dev.keyescrow.cli.frost.SigningKey;
import dev.keyescrow.cli.frost.SigningKeys;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.KeyFingerprint;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.JournalVerifier;
import dev.keyescrow.journal.VerificationReport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The demo ceremony: a 5-node cluster, 5 custodians with fresh Ed25519 keys (kept in this
 * process, as on their own machines), a 3-of-5 AES-256 key countersigned by all, a USE
 * approved by 3 custodians at their nodes, encrypt and decrypt, ROTATE, DESTROY with shred
 * receipts; then a FROST signing key: a 3-of-5 Ed25519 key made by distributed key generation
 * among the nodes, a SIGN
 * approved by 3 custodians, the signature checked by the JDK's Ed25519 under the group public
 * key, with no share released; and an audit of every journal.
 */
public final class Demo {
    static final int NODES = 5;
    static final int THRESHOLD = 3;
    private static final int STEPS = 15;
    private static final long WAIT_MILLIS = 90_000;

    private final LocalCluster cluster;
    private final Transcript transcript;
    private final boolean softwareVault;
    private final SecureRandom random;
    private final List<String> custodians = new ArrayList<>();
    private final List<SecretBytes> custodianKeys = new ArrayList<>();
    private final List<NodeClient> custodianNodes = new ArrayList<>();
    private byte[] pinnedCoordinatorKey;
    private CoordinatorClient coordinator;

    public Demo(LocalCluster cluster, Transcript.Mode mode, java.io.PrintStream out, boolean softwareVault)
            throws Exception {
        this.cluster = cluster;
        this.transcript = new Transcript(out, mode, STEPS);
        this.softwareVault = softwareVault;
        this.random = SecureRandom.getInstance("DRBG");
    }

    public static Transcript.Mode mode(boolean quiet, boolean json) {
        return json ? Transcript.Mode.JSON : quiet ? Transcript.Mode.QUIET : Transcript.Mode.NORMAL;
    }

    /** Runs the ceremony; the cluster is stopped by the caller (also on failure and Ctrl-C). */
    public void run() throws Exception {
        transcript.begin("start a local cluster: " + NODES + " custodian nodes and a coordinator");
        LocalCluster.Started started = cluster.start(NODES, softwareVault);
        transcript.detail("tokens: " + started.backend());
        transcript.detail("state, logs and cluster.json in " + cluster.layout().dir());
        String operatorToken = Files.readString(cluster.layout().operatorToken(), StandardCharsets.US_ASCII).trim();
        coordinator = new CoordinatorClient(started.coordinatorUrl(), operatorToken);
        transcript.record("cluster: " + cluster.layout().dir() + "; tokens: " + started.backend());
        transcript.done();

        transcript.begin("enrolment fingerprints (compare out of band with 'escrow node fingerprint')");
        for (Object o : coordinator.nodes()) {
            JsonObject node = (JsonObject) o;
            String line = node.getString("id") + " identity " + node.getString("identityFingerprint") + " transport "
                    + node.getString("transportFingerprint");
            transcript.detail(line);
            transcript.record("node " + line);
        }
        transcript.done();

        transcript.begin("register " + NODES + " custodians, each with a fresh Ed25519 key made on its own machine");
        List<MemberProcess> nodes = started.members().stream().filter(m -> !m.id().equals("coordinator")).toList();
        for (int i = 1; i <= NODES; i++) {
            String id = "custodian-" + i;
            SecretBytes key = Ed25519.generatePrivateKey(random);
            MemberProcess node = nodes.get(i - 1);
            coordinator.registerCustodian(id, Base64.getEncoder().encodeToString(Ed25519.publicKeyOf(key)), node.id());
            custodians.add(id);
            custodianKeys.add(key);
            custodianNodes.add(new NodeClient(node.url()));
            transcript.detail(id + " on " + node.id());
        }
        pinnedCoordinatorKey = Base64.getDecoder().decode(custodianNodes.get(0).node().getString("coordinatorPublicKey"));
        transcript.detail("coordinator key pinned by the nodes: SHA-256 " + KeyFingerprint.of(pinnedCoordinatorKey)
                + " (custodians countersign only under it)");
        transcript.done();

        transcript.begin("create a " + THRESHOLD + "-of-" + NODES + " AES-256 key (shares imported into each node's"
                + " token, receipts checked)");
        JsonObject key = coordinator.createKey("demo-payments", "AES-256", THRESHOLD, new JsonArray(custodians));
        String keyId = key.getString("keyId");
        transcript.detail("key " + keyId + " version " + key.getInteger("version") + ", state "
                + key.getString("state") + ", KCV " + key.getString("kcv"));
        transcript.done();

        transcript.begin("every custodian checks and countersigns the manifest");
        countersignAll(keyId, key.getInteger("version"));
        JsonObject v1 = version(keyId, 1);
        transcript.detail("state " + v1.getString("state") + ", KCV " + v1.getString("kcv") + ", manifest digest "
                + v1.getString("digest"));
        transcript.record("key " + keyId + " v1 AES-256 " + THRESHOLD + "-of-" + NODES + " KCV " + v1.getString("kcv")
                + " manifest " + v1.getString("digest") + " countersigned by " + v1.getJsonArray("countersigned"));
        transcript.done();

        transcript.begin("USE: the operator asks; custodians 1, 3 and 5 approve at their own nodes");
        JsonObject use = coordinator.createRequest(keyId, "USE", "demo: encrypt a settlement file", 600,
                new JsonObject().put("maxOperations", 10).put("sessionSeconds", 300));
        String useId = use.getString("requestId");
        List<String> approvers = approve(useId, 1, 3, 5);
        JsonObject active = await(useId, Set.of("ACTIVE", "FAILED", "DENIED", "EXPIRED"));
        require(active, "ACTIVE");
        transcript.detail("request " + useId + " " + active.getString("state") + ": key rebuilt from shares "
                + active.getJsonArray("releases"));
        transcript.record("USE " + useId + " digest " + use.getString("digest") + " approved by " + approvers);
        transcript.done();

        transcript.begin("encrypt and decrypt a message in the USE session (AES-256-GCM)");
        byte[] message = "pay 1,000 EUR to the supplier".getBytes(StandardCharsets.UTF_8);
        String ciphertext = coordinator.encrypt(useId, Base64.getEncoder().encodeToString(message), null)
                .getString("ciphertext");
        byte[] back = Base64.getDecoder().decode(coordinator.decrypt(useId, ciphertext, null).getString("plaintext"));
        if (!java.util.Arrays.equals(back, message)) {
            throw new IllegalStateException("the decrypted message differs from the original");
        }
        transcript.detail("ciphertext " + ciphertext.substring(0, Math.min(24, ciphertext.length())) + "... decrypts"
                + " back to the message");
        transcript.done();

        transcript.begin("ROTATE: a quorum approves a new version; custodians countersign version 2");
        JsonObject rotate = coordinator.createRequest(keyId, "ROTATE", "demo: yearly rotation", 600, new JsonObject());
        List<String> rotators = approve(rotate.getString("requestId"), 2, 3, 4);
        require(await(rotate.getString("requestId"), Set.of("EXECUTED", "FAILED", "DENIED", "EXPIRED")), "EXECUTED");
        int newVersion = latestVersion(keyId);
        countersignAll(keyId, newVersion);
        JsonObject v2 = version(keyId, newVersion);
        transcript.detail("version " + newVersion + " " + v2.getString("state") + " KCV " + v2.getString("kcv")
                + "; version 1 " + version(keyId, 1).getString("state"));
        transcript.record("ROTATE " + rotate.getString("requestId") + " approved by " + rotators + " -> v"
                + newVersion + " KCV " + v2.getString("kcv"));
        transcript.done();

        transcript.begin("REFRESH: new shares of the same key; the nodes shred the old ones");
        JsonObject refresh = coordinator.createRequest(keyId, "REFRESH", "demo: a custodian's laptop was lost", 600,
                new JsonObject());
        List<String> refreshers = approve(refresh.getString("requestId"), 1, 2, 5);
        require(await(refresh.getString("requestId"), Set.of("EXECUTED", "FAILED", "DENIED", "EXPIRED")), "EXECUTED");
        int refreshed = latestVersion(keyId);
        countersignAll(keyId, refreshed);
        awaitVersionState(keyId, newVersion, "DESTROYED");
        JsonObject v3 = version(keyId, refreshed);
        if (!v3.getString("kcv").equals(v2.getString("kcv"))) {
            throw new IllegalStateException("REFRESH changed the key: KCV " + v3.getString("kcv"));
        }
        transcript.detail("version " + refreshed + " " + v3.getString("state") + " KCV " + v3.getString("kcv")
                + " (unchanged); version " + newVersion + " " + version(keyId, newVersion).getString("state"));
        transcript.record("REFRESH " + refresh.getString("requestId") + " approved by " + refreshers + " -> v"
                + refreshed + " same KCV " + v3.getString("kcv") + "; v" + newVersion + " shares shredded");
        transcript.done();

        transcript.begin("RESHARE: from 3-of-5 to 2-of-3 among custodians 1, 2 and 3");
        JsonObject reshare = coordinator.createRequest(keyId, "RESHARE", "demo: a smaller team", 600,
                new JsonObject().put("threshold", 2).put("holders", coordinator.reshareHolders(custodians.subList(0, 3))));
        List<String> resharers = approve(reshare.getString("requestId"), 2, 3, 4);
        require(await(reshare.getString("requestId"), Set.of("EXECUTED", "FAILED", "DENIED", "EXPIRED")), "EXECUTED");
        int reshared = latestVersion(keyId);
        for (int i = 0; i < 3; i++) {
            CustodianDesk.countersign(coordinator, keyId, reshared, custodians.get(i), custodianKeys.get(i),
                    pinnedCoordinatorKey);
        }
        awaitVersionState(keyId, refreshed, "DESTROYED");
        JsonObject v4 = version(keyId, reshared);
        transcript.detail("version " + reshared + " " + v4.getString("state") + " " + v4.getInteger("threshold") + "-of-"
                + v4.getInteger("shares") + " KCV " + v4.getString("kcv") + "; version " + refreshed + " "
                + version(keyId, refreshed).getString("state"));
        transcript.record("RESHARE " + reshare.getString("requestId") + " approved by " + resharers + " -> v"
                + reshared + " 2-of-3 KCV " + v4.getString("kcv") + "; v" + refreshed + " shares shredded");
        transcript.done();

        transcript.begin("DESTROY version 1: every node shreds its share and signs a receipt");
        JsonObject destroy = coordinator.createRequest(keyId, "DESTROY", "demo: retire version 1", 600,
                new JsonObject(), 1);
        List<String> destroyers = approve(destroy.getString("requestId"), 1, 2, 4);
        JsonObject destroyed = await(destroy.getString("requestId"), Set.of("EXECUTED", "FAILED", "DENIED",
                "EXPIRED"));
        require(destroyed, "EXECUTED");
        transcript.detail("version 1 " + version(keyId, 1).getString("state") + "; shred receipts from "
                + destroyed.getJsonArray("shreddedNodes"));
        transcript.record("DESTROY " + destroy.getString("requestId") + " approved by " + destroyers
                + "; shred receipts from " + destroyed.getJsonArray("shreddedNodes"));
        transcript.done();

        JsonObject signing = frost(nodes);

        transcript.begin("verify every journal: the coordinator's and each node's, record by record");
        JsonObject audit = coordinator.auditVerify();
        transcript.detail("coordinator: " + audit.encode());
        transcript.record("coordinator journal: " + audit.encode());
        for (MemberProcess node : nodes) {
            Path journal = cluster.layout().memberDir(node.id()).resolve("state").resolve("journal");
            byte[] writer = Base64.getDecoder().decode(Files.readString(journal.resolve(Journal.WRITER_KEY_FILE))
                    .trim());
            VerificationReport report = JournalVerifier.verify(journal.resolve(Journal.JOURNAL_FILE), writer);
            if (!report.ok()) {
                throw new IllegalStateException(node.id() + "'s journal does not verify: " + report.summary());
            }
            transcript.detail(node.id() + ": " + report.summary());
            transcript.record(node.id() + " journal " + report.summary());
        }
        transcript.done();

        transcript.begin("stop every process");
        int stopped = cluster.stopAll();
        transcript.detail("stopped " + stopped + " processes");
        transcript.done();
        custodianKeys.forEach(SecretBytes::destroy);
        transcript.finish(new JsonObject().put("result", "ok").put("dir", cluster.layout().dir().toString())
                .put("keyId", keyId).put("kcv", v1.getString("kcv")).put("signing", signing));
    }

    /**
     * The FROST section: a signing key the quorum uses without ever rebuilding it, made by
     * distributed key generation among the holders' nodes ({@link SigningKeys#create}), so the
     * group secret never exists in one place, not even at its birth.
     *
     * @return what the JSON summary shows of it: key, message, signature, and what was released
     */
    private JsonObject frost(List<MemberProcess> nodes) throws Exception {
        transcript.begin("FROST: the nodes generate a " + THRESHOLD + "-of-" + NODES + " Ed25519 signing key together"
                + " (its secret never exists in one place); every custodian countersigns");
        SigningKey key = SigningKeys.create(coordinator, "demo-release-signing", THRESHOLD, new JsonArray(custodians));
        countersignAll(key.keyId(), key.version());
        JsonObject v1 = version(key.keyId(), key.version());
        transcript.detail("key " + key.keyId() + " v" + key.version() + " " + v1.getString("state") + ", scheme FROST,"
                + " group public key " + key.publicKeyHex());
        transcript.record("key " + key.keyId() + " v" + key.version() + " ED25519 FROST " + THRESHOLD + "-of-" + NODES
                + " group public key " + key.publicKeyHex() + " manifest " + v1.getString("digest")
                + " countersigned by " + v1.getJsonArray("countersigned"));
        transcript.done();

        transcript.begin("SIGN: the operator asks for a signature; custodians 2, 4 and 5 approve at their own nodes");
        byte[] message = "keyescrow demo: release 1.0 of the settlement service\n".getBytes(StandardCharsets.UTF_8);
        JsonObject sign = coordinator.createRequest(key.keyId(), "SIGN", "demo: sign the release", 600,
                new JsonObject().put("messages", new JsonArray().add(Base64.getEncoder().encodeToString(message))));
        String signId = sign.getString("requestId");
        transcript.detail("request " + signId + " to sign " + message.length + " bytes: "
                + new String(message, StandardCharsets.UTF_8).strip());
        List<String> signers = approve(signId, 2, 4, 5);
        JsonObject executed = await(signId, Set.of("EXECUTED", "FAILED", "DENIED", "EXPIRED"));
        require(executed, "EXECUTED");
        String signature = executed.getJsonArray("signatures").getString(0);
        // a verifier that knows nothing of FROST: the quorum's signature is a plain RFC 8032 one
        if (!JdkEd25519.verifies(key.publicKey(), message, Base64.getDecoder().decode(signature))) {
            throw new IllegalStateException("the quorum's signature does not verify under the group public key");
        }
        int released = 0;
        int signatureShares = 0;
        for (MemberProcess node : nodes) {
            for (JsonObject event : MemberJournal.events(cluster.layout().memberDir(node.id()))) {
                if (signId.equals(MemberJournal.requestIdOf(event))) {
                    released += "share-released".equals(event.getString("event")) ? 1 : 0;
                    signatureShares += "frost-signed".equals(event.getString("event")) ? 1 : 0;
                }
            }
        }
        int viewReleases = executed.getJsonArray("releases").size();
        if (released != 0 || viewReleases != 0) {
            throw new IllegalStateException("a SIGN released shares: " + released + " in the node journals, "
                    + viewReleases + " in the request");
        }
        transcript.detail("signature " + signature);
        transcript.detail("verified by the JDK's Ed25519 (SunEC) under the group public key");
        transcript.detail("no share left a node: 0 share releases in " + nodes.size() + " node journals and in the"
                + " request; " + signatureShares + " signature shares journaled");
        transcript.record("SIGN " + signId + " digest " + sign.getString("digest") + " approved by " + signers
                + "; signature " + signature + " verified by the JDK's Ed25519 under " + key.publicKeyHex()
                + "; 0 share releases, " + signatureShares + " signature shares");
        transcript.done();
        return new JsonObject().put("keyId", key.keyId()).put("publicKey", key.publicKeyHex()).put("requestId", signId)
                .put("message", Base64.getEncoder().encodeToString(message)).put("signature", signature)
                .put("shareReleases", released).put("signatureShares", signatureShares);
    }

    /** The transcript's ceremony log (for tests). */
    public List<String> ceremonyLog() {
        return transcript.log();
    }

    private void countersignAll(String keyId, int version) throws Exception {
        for (int i = 0; i < custodians.size(); i++) {
            // as a custodian would: under the coordinator key their own node pins
            CustodianDesk.countersign(coordinator, keyId, version, custodians.get(i), custodianKeys.get(i),
                    pinnedCoordinatorKey);
        }
    }

    /** Custodians {@code which} (1-based) review the request at their nodes and approve it, as 'escrow approve' does. */
    private List<String> approve(String requestId, int... which) throws Exception {
        List<String> approved = new ArrayList<>();
        for (int i : which) {
            NodeClient node = custodianNodes.get(i - 1);
            ReviewedRequest reviewed = CustodianDesk.awaitReview(node, requestId,
                    java.time.Duration.ofMillis(WAIT_MILLIS), null);
            CustodianDesk.answer(node, reviewed, custodians.get(i - 1), Decision.APPROVE, custodianKeys.get(i - 1));
            approved.add(custodians.get(i - 1));
        }
        return approved;
    }

    private JsonObject await(String requestId, Set<String> states) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            JsonObject view = coordinator.request(requestId);
            if (states.contains(view.getString("state")) || System.currentTimeMillis() > deadline) {
                return view;
            }
            Thread.sleep(100);
        }
    }

    private void awaitVersionState(String keyId, int version, String state) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!state.equals(version(keyId, version).getString("state"))) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("version " + version + " of " + keyId + " is "
                        + version(keyId, version).getString("state") + ", expected " + state);
            }
            Thread.sleep(100);
        }
    }

    private static void require(JsonObject view, String state) {
        if (!state.equals(view.getString("state"))) {
            throw new IllegalStateException("request " + view.getString("requestId") + " is "
                    + view.getString("state") + ", expected " + state + "; history " + view.getJsonArray("history"));
        }
    }

    private JsonObject version(String keyId, int version) throws ApiException {
        for (Object o : coordinator.key(keyId).getJsonArray("versions")) {
            JsonObject v = (JsonObject) o;
            if (v.getInteger("version") == version) {
                return v;
            }
        }
        throw new IllegalStateException("key " + keyId + " has no version " + version);
    }

    private int latestVersion(String keyId) throws ApiException {
        int latest = 0;
        for (Object o : coordinator.key(keyId).getJsonArray("versions")) {
            latest = Math.max(latest, ((JsonObject) o).getInteger("version"));
        }
        return latest;
    }
}
