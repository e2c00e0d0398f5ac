package dev.keyescrow.core.slip39;

/**
 * The public metadata of one SLIP-0039 share: everything in a mnemonic except the share value.
 * Written in the first four words, so people can sort cards by them (cards of one backup share
 * the first two words; cards of one group the first three).
 *
 * <p>Thresholds and counts are the actual values (1..16), not the minus-one encoding of the
 * mnemonic; indices are the x-coordinates (0..15).
 *
 * @param identifier        15-bit random identifier, the same on every share of one backup;
 *                          also salt of the passphrase encryption unless {@code extendable}
 * @param extendable        the extendable-backup flag: the identifier is not part of the
 *                          encryption salt, so more share sets of the same secret can be made
 * @param iterationExponent PBKDF2 runs 10000 × 2^e iterations in all (0..15)
 * @param groupIndex        this share's group, its x-coordinate at the group level (0..15)
 * @param groupThreshold    groups needed to recover (1..groupCount)
 * @param groupCount        groups in the backup (1..16)
 * @param memberIndex       this share's x-coordinate within its group (0..15)
 * @param memberThreshold   members of this group needed to recover the group's share (1..16)
 */
public record ShareHeader(int identifier, boolean extendable, int iterationExponent, int groupIndex,
        int groupThreshold, int groupCount, int memberIndex, int memberThreshold) {
    public static final int MAX_IDENTIFIER = (1 << 15) - 1;
    public static final int MAX_ITERATION_EXPONENT = 15;
    /** At most 16 groups, and at most 16 members in a group: 4-bit fields. */
    public static final int MAX_COUNT = 16;

    public ShareHeader {
        check("identifier", identifier, 0, MAX_IDENTIFIER);
        check("iteration exponent", iterationExponent, 0, MAX_ITERATION_EXPONENT);
        check("group count", groupCount, 1, MAX_COUNT);
        check("group threshold", groupThreshold, 1, groupCount);
        check("group index", groupIndex, 0, MAX_COUNT - 1);
        check("member threshold", memberThreshold, 1, MAX_COUNT);
        check("member index", memberIndex, 0, MAX_COUNT - 1);
    }

    private static void check(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " " + value + " is invalid: must be in [" + min + ", " + max
                    + "]");
        }
    }
}
