package dev.keyescrow.core.slip39;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.slip39.Slip39Exception.Reason;
import dev.keyescrow.core.testing.DeterministicRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every {@link Reason} is reachable, from mnemonics a person could actually hand in: cards of a
 * real backup, mixed, repeated, mistyped or forged. Messages never quote a word.
 */
class Slip39ErrorsTest {
    private static final byte[] SECRET = HexFormat.of().parseHex("bb54aac4b89dc868ba37d9cc21b2cece");
    private static final Set<Reason> SEEN = EnumSet.noneOf(Reason.class);

    /** 2 of 3 groups: group 1 is 2-of-3, group 2 is 1-of-1, group 3 is 3-of-5. Exponent 0. */
    private static List<List<String>> backup(long seed, boolean extendable) {
        SplitParameters parameters = new SplitParameters(2, List.of(new GroupParameters(2, 3),
                new GroupParameters(1, 1), new GroupParameters(3, 5)), 0, extendable);
        try (SecretBytes secret = SecretBytes.copyFrom(SECRET)) {
            List<List<String>> out = new ArrayList<>();
            for (List<MnemonicShare> group : new Slip39(new DeterministicRandom(seed))
                    .split(secret, parameters, Passphrase.empty())) {
                out.add(group.stream().map(s -> new String(s.toMnemonic())).toList());
            }
            return out;
        }
    }

    private static final List<List<String>> BACKUP = backup(7, false);

    private static Slip39Exception refused(Reason expected, String... mnemonics) {
        List<char[]> input = Arrays.stream(mnemonics).map(String::toCharArray).toList();
        Slip39Exception e = assertThrows(Slip39Exception.class, () -> Slip39.recoverMnemonics(input,
                Passphrase.empty()));
        assertEquals(expected, e.reason(), e.getMessage());
        for (String mnemonic : mnemonics) {
            String[] words = mnemonic.split(" ");
            for (int i = 0; i + 1 < words.length; i++) {
                assertFalse(e.getMessage().contains(words[i] + " " + words[i + 1]),
                        "the message quotes the mnemonic: " + e.getMessage());
            }
        }
        SEEN.add(expected);
        return e;
    }

    private static String recovered(String... mnemonics) throws Slip39Exception {
        List<char[]> input = Arrays.stream(mnemonics).map(String::toCharArray).toList();
        try (SecretBytes secret = Slip39.recoverMnemonics(input, Passphrase.empty())) {
            return HexFormat.of().formatHex(secret.toByteArray(SecretAccess.plaintext()));
        }
    }

    /** A mnemonic with a valid checksum for any word values, to reach the checks behind it. */
    private static String withChecksum(int[] dataWords, boolean extendable) {
        int[] words = Arrays.copyOf(dataWords, dataWords.length + Rs1024.CHECKSUM_WORDS);
        Rs1024.fill(extendable ? MnemonicShare.CUSTOMIZATION_EXTENDABLE : MnemonicShare.CUSTOMIZATION, words);
        StringBuilder out = new StringBuilder();
        char[] word = new char[WordList.MAX_WORD_LENGTH];
        for (int w : words) {
            out.append(out.length() == 0 ? "" : " ").append(word, 0, WordList.standard().write(w, word, 0));
        }
        return out.toString();
    }

    private static int[] wordIndices(String mnemonic) {
        return Arrays.stream(mnemonic.split(" "))
                .mapToInt(w -> WordList.standard().indexOf(w.toCharArray(), 0, w.length())).toArray();
    }

    /** A share of the backup with its header changed and the value kept, rewritten with a valid checksum. */
    private static String reheader(String mnemonic, java.util.function.UnaryOperator<ShareHeader> change)
            throws Slip39Exception {
        try (MnemonicShare share = MnemonicShare.parse(mnemonic.toCharArray());
                MnemonicShare changed = MnemonicShare.of(change.apply(share.header()), share.value())) {
            return new String(changed.toMnemonic());
        }
    }

    private static ShareHeader with(ShareHeader h, int identifier, boolean extendable, int exponent,
            int groupThreshold, int groupCount, int memberThreshold) {
        return new ShareHeader(identifier, extendable, exponent, h.groupIndex(), groupThreshold, groupCount,
                h.memberIndex(), memberThreshold);
    }

    @Test
    void aQuorumOfTheBackup_recoversTheSecret() throws Slip39Exception {
        assertEquals(HexFormat.of().formatHex(SECRET), recovered(BACKUP.get(1).get(0), BACKUP.get(0).get(2),
                BACKUP.get(0).get(0)));
        assertEquals(HexFormat.of().formatHex(SECRET), recovered(BACKUP.get(2).get(4), BACKUP.get(1).get(0),
                BACKUP.get(2).get(1), BACKUP.get(2).get(2)));
    }

    @Test
    void aWordNotInTheList_isUnknownWord() {
        String[] words = BACKUP.get(1).get(0).split(" ");
        words[5] = "abandon"; // a BIP-39 word, not a SLIP-39 one
        Slip39Exception e = refused(Reason.UNKNOWN_WORD, String.join(" ", words), BACKUP.get(0).get(0));
        assertTrue(e.getMessage().contains("mnemonic 1") && e.getMessage().contains("word 6"), e.getMessage());
        assertFalse(e.getMessage().contains("abandon"), e.getMessage());
    }

    @Test
    void aMissingWordOrAnImpossibleCount_isWrongLength() {
        String[] words = BACKUP.get(1).get(0).split(" ");
        refused(Reason.WRONG_LENGTH, String.join(" ", Arrays.copyOf(words, 19)));
        // 21 words: 14 value words leave 12 bits of padding, more than the 8 allowed
        refused(Reason.WRONG_LENGTH, String.join(" ", words) + " academic");
    }

    @Test
    void sharesOfDifferentLengthsWithOneIdentifier_areWrongLength() throws Slip39Exception {
        String longer;
        try (MnemonicShare share = MnemonicShare.parse(BACKUP.get(0).get(1).toCharArray());
                SecretBytes value = SecretBytes.copyFrom(new byte[18]);
                MnemonicShare other = MnemonicShare.of(share.header(), value)) {
            longer = new String(other.toMnemonic());
        }
        refused(Reason.WRONG_LENGTH, BACKUP.get(0).get(0), longer, BACKUP.get(1).get(0));
    }

    @Test
    void aMistypedWord_isInvalidChecksum() {
        String[] words = BACKUP.get(0).get(0).split(" ");
        words[10] = words[10].equals("academic") ? "acid" : "academic";
        refused(Reason.INVALID_CHECKSUM, BACKUP.get(1).get(0), String.join(" ", words));
    }

    @Test
    void nonZeroPaddingBits_areInvalidPadding() {
        int[] data = Arrays.copyOf(wordIndices(BACKUP.get(1).get(0)), 17);
        data[4] |= 0x200; // the first of the two padding bits of a 16-byte value
        refused(Reason.INVALID_PADDING, withChecksum(data, false));
    }

    @Test
    void aGroupThresholdAboveTheGroupCount_isRefused() {
        int[] data = Arrays.copyOf(wordIndices(BACKUP.get(1).get(0)), 17);
        data[2] = (data[2] & ~0x3F) | (3 << 2); // group threshold 4 (encoded 3), group count 1
        data[3] &= 0x0FF;
        refused(Reason.GROUP_THRESHOLD_EXCEEDS_COUNT, withChecksum(data, false));
    }

    @Test
    void cardsOfTwoBackups_haveDifferentIdentifiers() {
        List<List<String>> other = backup(8, false);
        refused(Reason.DIFFERENT_IDENTIFIERS, BACKUP.get(1).get(0), other.get(0).get(0), other.get(0).get(1));
    }

    @Test
    void extendableAndPlainCards_haveDifferentFlags() throws Slip39Exception {
        String flipped = reheader(BACKUP.get(0).get(1), h -> with(h, h.identifier(), true, 0, 2, 3, 2));
        refused(Reason.DIFFERENT_EXTENDABLE_FLAGS, BACKUP.get(0).get(0), flipped, BACKUP.get(1).get(0));
    }

    @Test
    void differentIterationExponents_areRefused() throws Slip39Exception {
        String other = reheader(BACKUP.get(0).get(1), h -> with(h, h.identifier(), false, 3, 2, 3, 2));
        refused(Reason.DIFFERENT_ITERATION_EXPONENTS, BACKUP.get(0).get(0), other, BACKUP.get(1).get(0));
    }

    @Test
    void differentGroupThresholds_areRefused() throws Slip39Exception {
        String other = reheader(BACKUP.get(0).get(1), h -> with(h, h.identifier(), false, 0, 3, 3, 2));
        refused(Reason.MISMATCHING_GROUP_THRESHOLDS, BACKUP.get(0).get(0), other, BACKUP.get(1).get(0));
    }

    @Test
    void differentGroupCounts_areRefused() throws Slip39Exception {
        String other = reheader(BACKUP.get(0).get(1), h -> with(h, h.identifier(), false, 0, 2, 4, 2));
        refused(Reason.MISMATCHING_GROUP_COUNTS, BACKUP.get(0).get(0), other, BACKUP.get(1).get(0));
    }

    @Test
    void differentMemberThresholdsInAGroup_areRefused() throws Slip39Exception {
        String other = reheader(BACKUP.get(0).get(1), h -> with(h, h.identifier(), false, 0, 2, 3, 3));
        refused(Reason.MISMATCHING_MEMBER_THRESHOLDS, BACKUP.get(0).get(0), other, BACKUP.get(1).get(0));
    }

    @Test
    void theSameCardTwice_isADuplicateMemberIndex() {
        Slip39Exception e = refused(Reason.DUPLICATE_MEMBER_INDEX, BACKUP.get(0).get(2), BACKUP.get(1).get(0),
                BACKUP.get(0).get(2));
        assertTrue(e.getMessage().contains("group 1") && e.getMessage().contains("share 3"), e.getMessage());
    }

    @Test
    void oneGroupOfTwo_isInsufficientGroups() {
        refused(Reason.INSUFFICIENT_GROUPS, BACKUP.get(0).get(0), BACKUP.get(0).get(1));
        refused(Reason.INSUFFICIENT_GROUPS);
    }

    @Test
    void threeGroupsForAThresholdOfTwo_isTooManyGroups() {
        refused(Reason.TOO_MANY_GROUPS, BACKUP.get(0).get(0), BACKUP.get(0).get(1), BACKUP.get(1).get(0),
                BACKUP.get(2).get(0), BACKUP.get(2).get(1), BACKUP.get(2).get(2));
    }

    @Test
    void aGroupShortOfItsThreshold_isInsufficientMembers() {
        Slip39Exception e = refused(Reason.INSUFFICIENT_MEMBERS, BACKUP.get(1).get(0), BACKUP.get(2).get(0),
                BACKUP.get(2).get(3));
        assertTrue(e.getMessage().contains("group 3 has 2 of the 3"), e.getMessage());
    }

    @Test
    void aGroupBeyondItsThreshold_isTooManyMembers() {
        refused(Reason.TOO_MANY_MEMBERS, BACKUP.get(1).get(0), BACKUP.get(0).get(0), BACKUP.get(0).get(1),
                BACKUP.get(0).get(2));
    }

    @Test
    void aForgedShareValue_isInvalidDigest() throws Slip39Exception {
        String forged;
        try (MnemonicShare share = MnemonicShare.parse(BACKUP.get(0).get(1).toCharArray())) {
            byte[] value = share.value().toByteArray(SecretAccess.plaintext());
            value[3] ^= 0x01;
            try (SecretBytes changed = SecretBytes.moveFrom(value);
                    MnemonicShare fake = MnemonicShare.of(share.header(), changed)) {
                forged = new String(fake.toMnemonic());
            }
        }
        refused(Reason.INVALID_DIGEST, BACKUP.get(0).get(0), forged, BACKUP.get(1).get(0));
    }

    @Test
    void aWrongPassphrase_givesAnotherSecretNotAnError() throws Slip39Exception {
        List<char[]> quorum = List.of(BACKUP.get(1).get(0).toCharArray(), BACKUP.get(0).get(0).toCharArray(),
                BACKUP.get(0).get(1).toCharArray());
        try (Passphrase wrong = Passphrase.copyOf("not the passphrase".toCharArray());
                SecretBytes other = Slip39.recoverMnemonics(quorum, wrong)) {
            assertEquals(SECRET.length, other.length());
            assertFalse(Arrays.equals(SECRET, other.toByteArray(SecretAccess.plaintext())));
        }
    }

    @Test
    void theSameSeed_replaysTheSameBackup() {
        // pinned known answer: DeterministicRandom(7), exponent 0, empty passphrase; the JavaScript
        // implementation (npm slip39 0.1.9) recovers SECRET from cards of this backup
        assertEquals("software traffic acrobat leaf cricket sniff charity tadpole fumes calcium center tofu deploy"
                + " failure guest jerky glen velvet earth learn", BACKUP.get(0).get(0));
        assertEquals("software traffic ceramic method dish holy ladle daughter fawn verdict webcam lily remember"
                + " spark holiday tidy breathe volume daughter spit", BACKUP.get(2).get(4));
        assertEquals(BACKUP, backup(7, false));
        assertFalse(BACKUP.equals(backup(7, true)));
        assertEquals(20, BACKUP.get(0).get(0).split(" ").length);
        assertTrue(BACKUP.stream().flatMap(List::stream).allMatch(m -> m.startsWith(firstTwoWords())),
                "every card of one backup starts with the same two words");
    }

    private static String firstTwoWords() {
        String[] words = BACKUP.get(0).get(0).split(" ");
        return words[0] + " " + words[1] + " ";
    }

    @Test
    void invalidSplitRequests_areProgrammerErrors() {
        try (SecretBytes odd = SecretBytes.copyFrom(new byte[17]); SecretBytes small = SecretBytes.copyFrom(new byte[14])) {
            Slip39 slip39 = new Slip39(new DeterministicRandom(1));
            SplitParameters one = new SplitParameters(1, List.of(new GroupParameters(1, 1)), 0, false);
            assertThrows(IllegalArgumentException.class, () -> slip39.split(odd, one, Passphrase.empty()));
            assertThrows(IllegalArgumentException.class, () -> slip39.split(small, one, Passphrase.empty()));
        }
        assertThrows(IllegalArgumentException.class, () -> new GroupParameters(1, 2));
        assertThrows(IllegalArgumentException.class, () -> new GroupParameters(3, 2));
        assertThrows(IllegalArgumentException.class, () -> new GroupParameters(2, 17));
        assertThrows(IllegalArgumentException.class, () -> GroupParameters.parse("2of3"));
        assertEquals(new GroupParameters(2, 3), GroupParameters.parse("2-of-3"));
        assertThrows(IllegalArgumentException.class, () -> new SplitParameters(3,
                List.of(new GroupParameters(1, 1), new GroupParameters(1, 1)), 0, false));
        assertThrows(IllegalArgumentException.class, () -> new SplitParameters(1,
                List.of(new GroupParameters(1, 1)), 16, false));
    }

    @Test
    void shareValuesNeverPrint() throws Slip39Exception {
        try (MnemonicShare share = MnemonicShare.parse(BACKUP.get(0).get(0).toCharArray())) {
            assertTrue(share.toString().contains("redacted"));
            assertFalse(share.toString().contains(BACKUP.get(0).get(0).split(" ")[5]));
        }
        assertEquals("Passphrase[redacted]", Passphrase.copyOf("TREZOR".toCharArray()).toString());
    }

    @Test
    void everyReason_isReachedByOneOfTheseCases() throws Slip39Exception {
        SEEN.clear();
        aWordNotInTheList_isUnknownWord();
        aMissingWordOrAnImpossibleCount_isWrongLength();
        sharesOfDifferentLengthsWithOneIdentifier_areWrongLength();
        aMistypedWord_isInvalidChecksum();
        nonZeroPaddingBits_areInvalidPadding();
        aGroupThresholdAboveTheGroupCount_isRefused();
        cardsOfTwoBackups_haveDifferentIdentifiers();
        extendableAndPlainCards_haveDifferentFlags();
        differentIterationExponents_areRefused();
        differentGroupThresholds_areRefused();
        differentGroupCounts_areRefused();
        differentMemberThresholdsInAGroup_areRefused();
        theSameCardTwice_isADuplicateMemberIndex();
        oneGroupOfTwo_isInsufficientGroups();
        threeGroupsForAThresholdOfTwo_isTooManyGroups();
        aGroupShortOfItsThreshold_isInsufficientMembers();
        aGroupBeyondItsThreshold_isTooManyMembers();
        aForgedShareValue_isInvalidDigest();
        assertEquals(EnumSet.allOf(Reason.class), SEEN);
    }
}
