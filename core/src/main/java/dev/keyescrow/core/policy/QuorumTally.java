package dev.keyescrow.core.policy;

import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.AnswerRefusedException.Reason;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The answers to one request, counted against one key version's manifest. Immutable: each
 * accepted answer gives a new tally.
 *
 * <p>Only answers that verify under a custodian key pinned in the manifest, over this
 * request's id and digest, before expiry, are counted, so approvals gathered for request A
 * can never count for request B. The request is {@link Verdict#APPROVED} with t distinct
 * APPROVE answers, and {@link Verdict#DENIED} as soon as t can no longer be reached
 * (more than n − t custodians denied or answered both ways).
 */
public final class QuorumTally {
    /** Where the count stands. */
    public enum Verdict {
        OPEN,
        APPROVED,
        DENIED
    }

    private final CanonicalRequest request;
    private final String digest;
    private final Manifest manifest;
    private final Map<String, Decision> answers;
    private final Set<String> conflicted;

    private QuorumTally(CanonicalRequest request, String digest, Manifest manifest, Map<String, Decision> answers,
                        Set<String> conflicted) {
        this.request = request;
        this.digest = digest;
        this.manifest = manifest;
        this.answers = answers;
        this.conflicted = conflicted;
    }

    /** An empty tally for {@code request}, whose key version is described by {@code manifest}. */
    public static QuorumTally start(CanonicalRequest request, Manifest manifest) {
        if (!request.keyId().equals(manifest.keyId()) || request.version() != manifest.version()) {
            throw new IllegalArgumentException("request " + request.requestId() + " is for " + request.keyId() + " v"
                    + request.version() + ", the manifest for " + manifest.keyId() + " v" + manifest.version());
        }
        return new QuorumTally(request, request.digest(), manifest, Map.of(), Set.of());
    }

    /**
     * An answer that passed every check of a tally of this request and manifest, signature
     * included, so it can be counted without verifying it again. Only {@link #check} makes
     * one, which is what makes skipping the second verification safe.
     */
    public static final class CheckedAnswer {
        private final Approval approval;
        private final CanonicalRequest request;
        private final Manifest manifest;

        private CheckedAnswer(Approval approval, CanonicalRequest request, Manifest manifest) {
            this.approval = approval;
            this.request = request;
            this.manifest = manifest;
        }

        public Approval approval() {
            return approval;
        }
    }

    /**
     * Checks {@code approval} against this tally: the request id and digest, expiry at
     * {@code now}, the custodian pinned in the manifest, and the signature under its key.
     */
    public CheckedAnswer check(Approval approval, Instant now) throws AnswerRefusedException {
        verify(approval, now);
        return new CheckedAnswer(approval, request, manifest);
    }

    /** Whether {@code answer} was checked by a tally of this same request and manifest. */
    public boolean accepts(CheckedAnswer answer) {
        return answer.request == request && answer.manifest == manifest;
    }

    /** A tally with {@code approval} counted if it is valid; {@link #outcomeOf} says what it does. */
    public QuorumTally with(Approval approval, Instant now) throws AnswerRefusedException {
        return with(check(approval, now));
    }

    /** A tally with an answer that a tally of this request already checked. */
    public QuorumTally with(CheckedAnswer answer) {
        if (!accepts(answer)) {
            throw new IllegalArgumentException("the answer was checked against another request or manifest");
        }
        Approval approval = answer.approval;
        String custodian = approval.custodianId();
        Decision previous = answers.get(custodian);
        if (previous == approval.decision() || conflicted.contains(custodian)) {
            return this;
        }
        Map<String, Decision> nextAnswers = new HashMap<>(answers);
        Set<String> nextConflicted = new HashSet<>(conflicted);
        if (previous == null) {
            nextAnswers.put(custodian, approval.decision());
        } else {
            nextAnswers.put(custodian, Decision.DENY);
            nextConflicted.add(custodian);
        }
        return new QuorumTally(request, digest, manifest, Collections.unmodifiableMap(nextAnswers),
                Collections.unmodifiableSet(nextConflicted));
    }

    /** What {@link #with} would do with {@code approval} (after the same checks). */
    public AnswerOutcome outcomeOf(Approval approval, Instant now) throws AnswerRefusedException {
        return outcomeOf(check(approval, now));
    }

    /** What {@link #with(CheckedAnswer)} would do with {@code answer}. */
    public AnswerOutcome outcomeOf(CheckedAnswer answer) {
        if (!accepts(answer)) {
            throw new IllegalArgumentException("the answer was checked against another request or manifest");
        }
        Approval approval = answer.approval;
        Decision previous = answers.get(approval.custodianId());
        if (previous == null) {
            return AnswerOutcome.COUNTED;
        }
        if (conflicted.contains(approval.custodianId())) {
            // counted as a denial once; a replay of either answer must not be journaled or alerted again
            return AnswerOutcome.REPEATED;
        }
        return previous != approval.decision() ? AnswerOutcome.CONFLICT : AnswerOutcome.REPEATED;
    }

    private void verify(Approval approval, Instant now) throws AnswerRefusedException {
        Objects.requireNonNull(approval, "approval");
        if (!approval.requestId().equals(request.requestId()) || !approval.requestDigest().equals(digest)) {
            throw new AnswerRefusedException(Reason.WRONG_REQUEST, "the answer is for another request or digest");
        }
        if (request.isExpiredAt(now)) {
            throw new AnswerRefusedException(Reason.EXPIRED, "request " + request.requestId() + " expired at "
                    + request.expiresAt());
        }
        Holder holder = manifest.holders().stream().filter(h -> h.custodianId().equals(approval.custodianId()))
                .findFirst().orElseThrow(() -> new AnswerRefusedException(Reason.UNKNOWN_CUSTODIAN, "custodian "
                        + approval.custodianId() + " is not pinned in " + manifest.keyId() + " v" + manifest.version()));
        try {
            approval.verify(holder.publicKey());
        } catch (SignatureException e) {
            throw new AnswerRefusedException(Reason.BAD_SIGNATURE, "the answer of " + approval.custodianId()
                    + " does not verify: " + e.getMessage());
        }
    }

    public Verdict verdict() {
        // a conflicted custodian's answer is stored as DENY, so counting APPROVE counts approvers()
        long approved = 0;
        long denied = 0;
        for (Decision d : answers.values()) {
            if (d == Decision.APPROVE) {
                approved++;
            } else {
                denied++;
            }
        }
        if (approved >= manifest.threshold()) {
            return Verdict.APPROVED;
        }
        if (manifest.shareCount() - denied < manifest.threshold()) {
            return Verdict.DENIED;
        }
        return Verdict.OPEN;
    }

    /** Custodians whose counted answer is APPROVE (conflicting custodians excluded), sorted. */
    public Set<String> approvers() {
        Set<String> approvers = new TreeSet<>();
        answers.forEach((c, d) -> {
            if (d == Decision.APPROVE) {
                approvers.add(c);
            }
        });
        return approvers;
    }

    /** Each counted custodian's answer (DENY for one who answered both ways), sorted by custodian. */
    public Map<String, Decision> answers() {
        return Collections.unmodifiableMap(new java.util.TreeMap<>(answers));
    }

    /** Custodians who answered both ways: each is an alert. */
    public Set<String> conflicted() {
        return new TreeSet<>(conflicted);
    }

    public int threshold() {
        return manifest.threshold();
    }

    public CanonicalRequest request() {
        return request;
    }

    @Override
    public String toString() {
        return "QuorumTally[" + request.requestId() + ", " + approvers().size() + "/" + manifest.threshold()
                + " approvals, " + verdict() + "]";
    }
}
