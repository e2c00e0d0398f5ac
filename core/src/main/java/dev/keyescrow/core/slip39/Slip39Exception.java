package dev.keyescrow.core.slip39;

import dev.keyescrow.core.error.KeyEscrowException;
import java.util.Objects;

/**
 * A SLIP-0039 mnemonic or set of mnemonics was refused; {@link #reason()} names the problem as
 * the specification distinguishes it. The message quotes public metadata only (positions,
 * indices, thresholds), never a word of a mnemonic: the words are the secret.
 *
 * <p>Every reason means "stop and fix the input": none is transient, so retrying with the same
 * mnemonics gives the same answer.
 */
public final class Slip39Exception extends KeyEscrowException {
    /** What is wrong, in the vocabulary of the specification. */
    public enum Reason {
        /** A word is not in the SLIP-0039 word list (a misspelling, or a BIP-39 word). */
        UNKNOWN_WORD,
        /**
         * A mnemonic has too few words, a word count that no share value length gives, or
         * mnemonics of one set have share values of different lengths.
         */
        WRONG_LENGTH,
        /** The RS1024 checksum does not match: a word was mistyped, dropped or swapped. */
        INVALID_CHECKSUM,
        /** The padding bits in front of the share value are not all zero. */
        INVALID_PADDING,
        /** A share says its group threshold is greater than its group count. */
        GROUP_THRESHOLD_EXCEEDS_COUNT,
        /** Mnemonics of different backups: their identifiers (first words) differ. */
        DIFFERENT_IDENTIFIERS,
        /** Mnemonics disagree on the extendable-backup flag, so they are of different backups. */
        DIFFERENT_EXTENDABLE_FLAGS,
        /** Mnemonics disagree on the iteration exponent. */
        DIFFERENT_ITERATION_EXPONENTS,
        /** Mnemonics disagree on the group threshold. */
        MISMATCHING_GROUP_THRESHOLDS,
        /** Mnemonics disagree on the group count. */
        MISMATCHING_GROUP_COUNTS,
        /** Mnemonics of one group disagree on the member threshold. */
        MISMATCHING_MEMBER_THRESHOLDS,
        /** Two mnemonics of one group have the same member index (or one card was entered twice). */
        DUPLICATE_MEMBER_INDEX,
        /** Fewer groups than the group threshold. */
        INSUFFICIENT_GROUPS,
        /** More groups than the group threshold: the specification requires exactly that many. */
        TOO_MANY_GROUPS,
        /** A group has fewer members than its member threshold. */
        INSUFFICIENT_MEMBERS,
        /** A group has more members than its member threshold: the specification requires exactly that many. */
        TOO_MANY_MEMBERS,
        /**
         * The reconstructed secret does not match its digest: the shares are well formed and
         * agree on their metadata, yet do not belong together (forged or from another backup).
         */
        INVALID_DIGEST
    }

    private final Reason reason;

    public Slip39Exception(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** The same reason with {@code context} (a public position such as "mnemonic 3") in front. */
    Slip39Exception withContext(String context) {
        Slip39Exception wrapped = new Slip39Exception(reason, context + ": " + getMessage());
        wrapped.setStackTrace(getStackTrace());
        return wrapped;
    }
}
