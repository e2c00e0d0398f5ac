package dev.keyescrow.cli.chaos;

import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.journal.AppendOnlyLog;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.JournalRecord;
import dev.keyescrow.journal.JournalVerifier;
import dev.keyescrow.journal.RecordFormat;
import dev.keyescrow.journal.VerificationReport;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invariants, checked from the members' journal files alone (each verified record by
 * record under the writer key beside it) and the acknowledgements the driver received. It
 * reads no server memory: what it finds is what an auditor with the files would find.
 *
 * <p>Per node: a share is released only for a request the node admitted, after {@code t}
 * APPROVE answers that verify under the keys the version's manifest pins, from distinct
 * holders none of whom also denied, never after the request was cancelled at the node, never
 * twice for one request, never from a shredded share; a shredded share is never imported
 * again. Per coordinator: no request reaches APPROVED, ACTIVE or EXECUTED with fewer than
 * {@code t} verified approvals; a terminal state never changes; no release is accepted twice.
 * Against the acknowledgements: every created request, answer, countersignature, cancel and
 * shred receipt acknowledged is in the journal that acknowledged it.
 */
final class JournalChecker {
    private static final Set<String> TERMINAL = Set.of("EXECUTED", "FAILED", "DENIED", "EXPIRED", "CANCELLED");
    private static final Set<String> NEED_QUORUM = Set.of("APPROVED", "ACTIVE", "EXECUTED");

    /** What the check found: violations (must be none) and figures. */
    record Result(List<String> violations, List<String> findings, Map<String, Long> records) {
    }

    private final List<String> violations = new ArrayList<>();
    private final List<String> findings = new ArrayList<>();
    private final Map<String, Long> recordCounts = new HashMap<>();
    /** Per node, "keyId/version/index" of every share still held at the end. */
    private final Map<String, Set<String>> heldAtEnd = new HashMap<>();

    Result check(Path clusterDir, List<String> nodeIds, Acknowledgements acks) throws Exception {
        Map<String, List<JsonObject>> nodeEvents = new HashMap<>();
        for (String node : nodeIds) {
            nodeEvents.put(node, read(clusterDir, node));
        }
        List<JsonObject> coordinatorEvents = read(clusterDir, "coordinator");
        for (String node : nodeIds) {
            checkNode(node, nodeEvents.get(node));
        }
        CoordinatorFacts facts = checkCoordinator(coordinatorEvents);
        checkAcknowledgements(acks, nodeEvents, facts);
        checkDestroyedVersions(facts);
        return new Result(List.copyOf(violations), List.copyOf(findings), Map.copyOf(recordCounts));
    }

    /** Verifies a member's journal and returns its event bodies in order (empty if it does not verify). */
    private List<JsonObject> read(Path clusterDir, String member) throws Exception {
        Path dir = clusterDir.resolve(member).resolve("state").resolve("journal");
        Path file = dir.resolve(Journal.JOURNAL_FILE);
        byte[] writer = Base64.getDecoder().decode(Files.readString(dir.resolve(Journal.WRITER_KEY_FILE)).trim());
        VerificationReport report = JournalVerifier.verify(file, writer);
        recordCounts.put(member, report.recordCount());
        if (!report.ok()) {
            violations.add(member + "'s journal does not verify: " + report.summary());
            return List.of();
        }
        List<JsonObject> events = new ArrayList<>();
        long verified = report.recordCount();
        AppendOnlyLog.read(file, 0, (offset, frame) -> {
            JournalRecord record = RecordFormat.decode(frame);
            if (record.sequence() > verified) {
                return; // an unfinished batch after the last seal: never acknowledged, not a fact
            }
            events.add(new JsonObject(new String(record.body(), StandardCharsets.UTF_8))
                    .put("_sequence", record.sequence()).put("_kind", record.kind()));
        });
        return events;
    }

    private void checkNode(String node, List<JsonObject> events) throws Exception {
        Map<String, Manifest> manifests = new HashMap<>();
        Map<String, CanonicalRequest> requests = new HashMap<>();
        Map<String, Map<String, Set<Decision>>> answers = new HashMap<>();
        Set<String> cancelled = new HashSet<>();
        Set<String> released = new HashSet<>();
        Set<String> shredded = new HashSet<>();
        Set<String> held = new HashSet<>();
        for (JsonObject e : events) {
            String at = node + " record " + e.getLong("_sequence");
            switch (e.getString("event", "")) {
                case "manifest-admitted" -> {
                    Manifest m = Manifest.parse(e.getString("canonical").getBytes(StandardCharsets.UTF_8));
                    manifests.put(m.keyId() + "/" + m.version(), m);
                }
                case "request-admitted" -> {
                    CanonicalRequest r = CanonicalRequest.parse(e.getString("canonical")
                            .getBytes(StandardCharsets.UTF_8));
                    requests.put(r.requestId(), r);
                }
                case "answer-accepted" -> {
                    String requestId = e.getString("requestId");
                    CanonicalRequest r = requests.get(requestId);
                    Decision decision = Decision.valueOf(e.getString("decision"));
                    if (r == null) {
                        violations.add(at + ": an answer to " + requestId + ", a request this node never admitted");
                        continue;
                    }
                    if (!verifies(manifests.get(r.keyId() + "/" + r.version()), r, e)) {
                        violations.add(at + ": accepted an answer of " + e.getString("custodianId") + " to "
                                + requestId + " that does not verify under the pinned key");
                        continue;
                    }
                    answers.computeIfAbsent(requestId, k -> new HashMap<>())
                            .computeIfAbsent(e.getString("custodianId"), k -> new HashSet<>()).add(decision);
                }
                case "request-cancelled" -> cancelled.add(e.getString("requestId"));
                case "share-held" -> {
                    String share = e.getString("keyId") + "/" + e.getInteger("version") + "/" + e.getInteger("index");
                    if (shredded.contains(share)) {
                        violations.add(at + ": share " + share + " imported again after it was shredded");
                    }
                    held.add(share);
                }
                case "shares-rotated", "shred-completed" -> {
                    for (Object s : e.getJsonArray("destroyed")) {
                        shredded.add((String) s);
                        held.remove((String) s);
                    }
                }
                case "share-released" -> checkRelease(at, e, requests, manifests, answers, cancelled, released,
                        shredded);
                default -> {
                }
            }
        }
        heldAtEnd.put(node, held);
    }

    private void checkRelease(String at, JsonObject e, Map<String, CanonicalRequest> requests,
                              Map<String, Manifest> manifests, Map<String, Map<String, Set<Decision>>> answers,
                              Set<String> cancelled, Set<String> released, Set<String> shredded) {
        String requestId = e.getString("requestId");
        if (!released.add(requestId)) {
            violations.add(at + ": a second release for request " + requestId);
        }
        CanonicalRequest r = requests.get(requestId);
        if (r == null) {
            violations.add(at + ": released a share for " + requestId + ", a request it never admitted");
            return;
        }
        Manifest m = manifests.get(r.keyId() + "/" + r.version());
        if (m == null) {
            violations.add(at + ": released a share of " + r.keyId() + " v" + r.version() + " without its manifest");
            return;
        }
        int approvals = 0;
        for (Map.Entry<String, Set<Decision>> a : answers.getOrDefault(requestId, Map.of()).entrySet()) {
            if (a.getValue().equals(Set.of(Decision.APPROVE))) {
                approvals++;
            }
        }
        if (approvals < m.threshold()) {
            violations.add(at + ": released a share for " + requestId + " (" + r.operation() + ") with " + approvals
                    + " valid approvals of " + m.threshold() + " needed");
        }
        if (cancelled.contains(requestId)) {
            violations.add(at + ": released a share for " + requestId + " after the request was cancelled");
        }
        String share = r.keyId() + "/" + r.version() + "/" + e.getInteger("index");
        if (shredded.contains(share)) {
            violations.add(at + ": released share " + share + " after it was shredded");
        }
    }

    private static boolean verifies(Manifest manifest, CanonicalRequest request, JsonObject e) {
        if (manifest == null || !request.digest().equals(e.getString("requestDigest"))) {
            return false;
        }
        try {
            Holder holder = manifest.holderOf(e.getString("custodianId"));
            new Approval(request.requestId(), request.digest(), e.getString("custodianId"),
                    Decision.valueOf(e.getString("decision")), Base64.getDecoder().decode(e.getString("signature")))
                    .verify(holder.publicKey());
            return true;
        } catch (Exception ex) {
            return false;
        }
    }

    /** What the coordinator's journal says, for the acknowledgement and destroy checks. */
    private record CoordinatorFacts(Set<String> created, Map<String, String> finalStates, Set<String> countersigned,
                                    Set<String> shredReceipts, Set<String> destroyedVersions,
                                    Set<String> rolledBackVersions, Map<String, Integer> approvalsCounted,
                                    Map<String, Integer> thresholds) {
    }

    private CoordinatorFacts checkCoordinator(List<JsonObject> events) throws Exception {
        Map<String, Manifest> manifests = new HashMap<>();
        Map<String, CanonicalRequest> requests = new HashMap<>();
        Map<String, Map<String, Set<Decision>>> answers = new HashMap<>();
        Map<String, String> states = new HashMap<>();
        Set<String> countersigned = new HashSet<>();
        Set<String> receipts = new HashSet<>();
        Set<String> releases = new HashSet<>();
        Set<String> destroyed = new HashSet<>();
        Set<String> rolledBack = new HashSet<>();
        for (JsonObject e : events) {
            String at = "coordinator record " + e.getLong("_sequence");
            switch (e.getString("event", "")) {
                case "ceremony-started" -> {
                    Manifest m = Manifest.parse(e.getString("manifest").getBytes(StandardCharsets.UTF_8));
                    manifests.put(m.keyId() + "/" + m.version(), m);
                }
                case "ceremony-failed" -> rolledBack.add(e.getString("keyId") + "/" + e.getInteger("version"));
                case "countersigned" -> countersigned.add(e.getString("keyId") + "/" + e.getInteger("version") + "/"
                        + e.getString("custodianId"));
                case "version-state" -> {
                    if ("DESTROYED".equals(e.getString("state"))) {
                        destroyed.add(e.getString("keyId") + "/" + e.getInteger("version"));
                    }
                }
                case "request-created" -> {
                    CanonicalRequest r = CanonicalRequest.parse(e.getString("canonical")
                            .getBytes(StandardCharsets.UTF_8));
                    requests.put(r.requestId(), r);
                    states.put(r.requestId(), "PENDING");
                }
                case "answer-counted" -> {
                    CanonicalRequest r = requests.get(e.getString("requestId"));
                    if (r == null || !verifies(manifests.get(r.keyId() + "/" + r.version()), r, e)) {
                        violations.add(at + ": counted an answer to " + e.getString("requestId")
                                + " that does not verify under the pinned key");
                        continue;
                    }
                    answers.computeIfAbsent(r.requestId(), k -> new HashMap<>())
                            .computeIfAbsent(e.getString("custodianId"), k -> new HashSet<>())
                            .add(Decision.valueOf(e.getString("decision")));
                }
                case "release-accepted" -> {
                    if (!releases.add(e.getString("requestId") + "/" + e.getInteger("index"))) {
                        violations.add(at + ": accepted share " + e.getInteger("index") + " of "
                                + e.getString("requestId") + " a second time");
                    }
                }
                case "shred-verified" -> receipts.add(e.getString("requestId") + "/" + e.getString("nodeId"));
                case "request-state" -> {
                    String id = e.getString("requestId");
                    String state = e.getString("state");
                    String before = states.get(id);
                    if (before != null && TERMINAL.contains(before) && !before.equals(state)) {
                        violations.add(at + ": request " + id + " went from " + before + " to " + state);
                    }
                    CanonicalRequest r = requests.get(id);
                    if (NEED_QUORUM.contains(state) && r != null) {
                        Manifest m = manifests.get(r.keyId() + "/" + r.version());
                        int approvals = approvals(answers.get(id));
                        if (m == null || approvals < m.threshold()) {
                            violations.add(at + ": request " + id + " (" + r.operation() + ") " + state + " with "
                                    + approvals + " verified approvals");
                        }
                    }
                    states.put(id, state);
                }
                default -> {
                }
            }
        }
        Map<String, Integer> counted = new HashMap<>();
        Map<String, Integer> thresholds = new HashMap<>();
        for (CanonicalRequest r : requests.values()) {
            counted.put(r.requestId(), approvals(answers.get(r.requestId())));
            Manifest m = manifests.get(r.keyId() + "/" + r.version());
            thresholds.put(r.requestId(), m == null ? Integer.MAX_VALUE : m.threshold());
        }
        for (Map.Entry<String, String> s : states.entrySet()) {
            if ("EXPIRED".equals(s.getValue()) && counted.get(s.getKey()) >= thresholds.get(s.getKey())) {
                findings.add("request " + s.getKey() + " had " + counted.get(s.getKey())
                        + " approvals (threshold reached) and ended EXPIRED");
            }
        }
        return new CoordinatorFacts(requests.keySet(), states, countersigned, receipts, destroyed, rolledBack,
                counted, thresholds);
    }

    private static int approvals(Map<String, Set<Decision>> answers) {
        if (answers == null) {
            return 0;
        }
        return (int) answers.values().stream().filter(d -> d.equals(Set.of(Decision.APPROVE))).count();
    }

    private void checkAcknowledgements(Acknowledgements acks, Map<String, List<JsonObject>> nodeEvents,
                                       CoordinatorFacts facts) {
        for (Acknowledgements.Created c : acks.created()) {
            if (!facts.created().contains(c.requestId())) {
                violations.add("request " + c.requestId() + " (" + c.operation() + ") was acknowledged (201) but is"
                        + " not in the coordinator's journal");
            }
        }
        Map<String, Set<String>> localAnswers = new HashMap<>();
        nodeEvents.forEach((node, events) -> {
            Set<String> set = new HashSet<>();
            for (JsonObject e : events) {
                if ("answer-accepted".equals(e.getString("event")) && "local".equals(e.getString("origin"))) {
                    set.add(e.getString("requestId") + "/" + e.getString("custodianId") + "/"
                            + e.getString("decision"));
                }
            }
            localAnswers.put(node, set);
        });
        for (Acknowledgements.Answer a : acks.answers()) {
            if (!localAnswers.getOrDefault(a.nodeId(), Set.of()).contains(a.requestId() + "/" + a.custodianId() + "/"
                    + a.decision())) {
                violations.add("the " + a.decision() + " of " + a.custodianId() + " to " + a.requestId()
                        + " was acknowledged by " + a.nodeId() + " but is not in its journal");
            }
        }
        for (Acknowledgements.Countersignature c : acks.countersignatures()) {
            if (!facts.countersigned().contains(c.keyId() + "/" + c.version() + "/" + c.custodianId())) {
                violations.add("the countersignature of " + c.custodianId() + " on " + c.keyId() + " v" + c.version()
                        + " was acknowledged but is not in the coordinator's journal");
            }
        }
        for (Acknowledgements.Cancel c : acks.cancels()) {
            if (!"CANCELLED".equals(facts.finalStates().get(c.requestId()))) {
                violations.add("the cancel of " + c.requestId() + " was acknowledged but the coordinator's journal"
                        + " ends it " + facts.finalStates().get(c.requestId()));
            }
        }
        for (Acknowledgements.ShredReceipt r : acks.receipts()) {
            if (!facts.shredReceipts().contains(r.requestId() + "/" + r.nodeId())) {
                violations.add("the shred receipt of " + r.nodeId() + " for " + r.requestId()
                        + " was shown verified but is not in the coordinator's journal");
            }
        }
    }

    /** A version the coordinator journaled DESTROYED, or whose ceremony it rolled back, leaves no share on any node. */
    private void checkDestroyedVersions(CoordinatorFacts facts) {
        heldAtEnd.forEach((node, held) -> {
            for (String share : held) {
                String version = share.substring(0, share.lastIndexOf('/'));
                if (facts.destroyedVersions().contains(version)) {
                    violations.add(node + " still holds share " + share + " of a version the coordinator journaled"
                            + " DESTROYED");
                } else if (facts.rolledBackVersions().contains(version)) {
                    violations.add(node + " still holds share " + share + " of a version whose ceremony the"
                            + " coordinator rolled back");
                }
            }
        });
    }
}
