package dev.keyescrow.core.slip39;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One group of a SLIP-0039 backup: {@code memberThreshold} of its {@code memberCount} member
 * shares recover the group's share. Public values, validated when built.
 *
 * <p>A threshold of 1 with more than one member is refused: the members' mnemonics would differ
 * only in the member index and the checksum, so several copies give no more security than one
 * card copied; the specification asks for 1-of-1 instead (and the reference refuses too).
 */
public record GroupParameters(int memberThreshold, int memberCount) {
    private static final Pattern T_OF_N = Pattern.compile("([0-9]{1,2})-of-([0-9]{1,2})");

    public GroupParameters {
        if (memberCount < 1 || memberCount > ShareHeader.MAX_COUNT) {
            throw new IllegalArgumentException("member count " + memberCount + " is invalid: must be in [1, "
                    + ShareHeader.MAX_COUNT + "]");
        }
        if (memberThreshold < 1 || memberThreshold > memberCount) {
            throw new IllegalArgumentException("member threshold " + memberThreshold + " is invalid: must be in [1, "
                    + memberCount + "] (the member count)");
        }
        if (memberThreshold == 1 && memberCount > 1) {
            throw new IllegalArgumentException("1-of-" + memberCount + " is refused: with threshold 1 every member"
                    + " holds the same share; use 1-of-1 and copy the card instead");
        }
    }

    /**
     * Parses {@code T-of-N}, for example {@code 2-of-3}.
     *
     * @throws IllegalArgumentException if the text is not of that form or the values are invalid
     */
    public static GroupParameters parse(String text) {
        Matcher m = T_OF_N.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("group \"" + text + "\" is invalid: write it as T-of-N, for"
                    + " example 2-of-3");
        }
        return new GroupParameters(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    @Override
    public String toString() {
        return memberThreshold + "-of-" + memberCount;
    }
}
