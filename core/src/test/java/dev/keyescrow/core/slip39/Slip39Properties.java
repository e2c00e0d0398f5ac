package dev.keyescrow.core.slip39;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.slip39.Slip39Exception.Reason;
import dev.keyescrow.core.testing.DeterministicRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of SLIP-0039 split and recovery over random secrets, group configurations and
 * passphrases. Iteration exponents are 0 and 1 only: every step up doubles PBKDF2's
 * 10000 × 2^e iterations, which dominate the cost of each try.
 */
class Slip39Properties {

    @Provide
    Arbitrary<byte[]> secrets() {
        return Arbitraries.integers().between(8, 16)
                .flatMap(half -> Arbitraries.bytes().array(byte[].class).ofSize(2 * half));
    }

    @Provide
    Arbitrary<SplitParameters> configurations() {
        Arbitrary<GroupParameters> group = Arbitraries.integers().between(1, 5).flatMap(count -> count == 1
                ? Arbitraries.just(new GroupParameters(1, 1))
                : Arbitraries.integers().between(2, count).map(threshold -> new GroupParameters(threshold, count)));
        return group.list().ofMinSize(1).ofMaxSize(4).flatMap(groups -> Combinators.combine(
                        Arbitraries.integers().between(1, groups.size()),
                        Arbitraries.integers().between(0, 1),
                        Arbitraries.of(true, false))
                .as((groupThreshold, exponent, extendable) ->
                        new SplitParameters(groupThreshold, groups, exponent, extendable)));
    }

    @Provide
    Arbitrary<String> passphrases() {
        return Arbitraries.strings().withCharRange(' ', '~').ofMinLength(0).ofMaxLength(12);
    }

    @Property(tries = 60)
    void splitThenRecoverAQuorum_givesTheSecretBack(@ForAll("secrets") byte[] secretBytes,
            @ForAll("configurations") SplitParameters parameters, @ForAll("passphrases") String passphraseText,
            @ForAll long seed, @ForAll Random choice) throws Slip39Exception {
        try (SecretBytes secret = SecretBytes.copyFrom(secretBytes);
                Passphrase passphrase = Passphrase.copyOf(passphraseText.toCharArray())) {
            List<List<MnemonicShare>> groups = new Slip39(new DeterministicRandom(seed))
                    .split(secret, parameters, passphrase);
            assertEquals(parameters.groups().size(), groups.size());
            List<char[]> quorum = new ArrayList<>();
            List<Integer> groupOrder = shuffled(groups.size(), choice);
            for (int g : groupOrder.subList(0, parameters.groupThreshold())) {
                List<MnemonicShare> members = groups.get(g);
                assertEquals(parameters.groups().get(g).memberCount(), members.size());
                List<Integer> memberOrder = shuffled(members.size(), choice);
                for (int m : memberOrder.subList(0, parameters.groups().get(g).memberThreshold())) {
                    quorum.add(members.get(m).toMnemonic());
                }
            }
            Collections.shuffle(quorum, choice);
            boolean twoLevels = parameters.groupThreshold() >= 2;
            boolean memberSharing = parameters.groups().stream().anyMatch(g -> g.memberThreshold() >= 2);
            Statistics.label("shape").collect(twoLevels ? "GT >= 2" : "GT = 1", memberSharing ? "T >= 2" : "T = 1");
            Statistics.label("shape").coverage(coverage -> {
                coverage.check("GT >= 2", "T >= 2").percentage(p -> p >= 5);
                coverage.check("GT = 1", "T >= 2").percentage(p -> p >= 5);
            });
            Statistics.label("cipher").collect(parameters.iterationExponent(), parameters.extendable());
            Statistics.label("cipher").coverage(coverage -> {
                coverage.check(0, true).count(c -> c >= 1);
                coverage.check(1, false).count(c -> c >= 1);
            });
            try (SecretBytes recovered = Slip39.recoverMnemonics(quorum, passphrase)) {
                assertTrue(recovered.equalsSecret(secret));
            }
            groups.forEach(group -> group.forEach(MnemonicShare::destroy));
        }
    }

    @Property(tries = 40)
    void oneMemberFewerThanTheThreshold_isRefusedNotAWrongSecret(@ForAll("secrets") byte[] secretBytes,
            @ForAll @IntRange(min = 2, max = 5) int threshold, @ForAll long seed) {
        try (SecretBytes secret = SecretBytes.copyFrom(secretBytes)) {
            SplitParameters parameters = new SplitParameters(1, List.of(new GroupParameters(threshold, 5)), 0, false);
            List<MnemonicShare> members = new Slip39(new DeterministicRandom(seed))
                    .split(secret, parameters, Passphrase.empty()).get(0);
            List<char[]> tooFew = members.subList(0, threshold - 1).stream().map(MnemonicShare::toMnemonic).toList();
            Slip39Exception e = assertThrows(Slip39Exception.class,
                    () -> Slip39.recoverMnemonics(tooFew, Passphrase.empty()));
            assertEquals(Reason.INSUFFICIENT_MEMBERS, e.reason());
        }
    }

    @Provide
    Arbitrary<ShareHeader> headers() {
        Arbitrary<Integer> nibble = Arbitraries.integers().between(0, 15);
        return Combinators.combine(Arbitraries.integers().between(0, ShareHeader.MAX_IDENTIFIER),
                        Arbitraries.of(true, false), nibble, nibble,
                        Arbitraries.integers().between(1, 16).flatMap(count -> Arbitraries.integers().between(1, count)
                                .map(threshold -> new int[] {threshold, count})),
                        nibble, Arbitraries.integers().between(1, 16))
                .as((id, extendable, exponent, groupIndex, groupShape, memberIndex, memberThreshold) ->
                        new ShareHeader(id, extendable, exponent, groupIndex, groupShape[0], groupShape[1],
                                memberIndex, memberThreshold));
    }

    @Provide
    Arbitrary<byte[]> values() {
        return Arbitraries.integers().between(8, 40)
                .flatMap(half -> Arbitraries.bytes().array(byte[].class).ofSize(2 * half));
    }

    @Property(tries = 300)
    void everyShare_writesAndParsesBackUnchanged(@ForAll("headers") ShareHeader header,
            @ForAll("values") byte[] valueBytes) throws Slip39Exception {
        try (SecretBytes value = SecretBytes.copyFrom(valueBytes);
                MnemonicShare share = MnemonicShare.of(header, value);
                MnemonicShare parsed = MnemonicShare.parse(share.toMnemonic())) {
            assertEquals(header, parsed.header());
            assertTrue(parsed.value().equalsSecret(value));
            int words = share.toMnemonic().length == 0 ? 0 : new String(share.toMnemonic()).split(" ").length;
            assertEquals(MnemonicShare.METADATA_WORDS + (8 * valueBytes.length + 9) / 10, words);
        }
    }

    @Property(tries = 500)
    void anySingleChangedWord_isCaughtByTheChecksum(@ForAll("headers") ShareHeader header,
            @ForAll("values") byte[] valueBytes, @ForAll @IntRange(min = 0, max = 10_000) int position,
            @ForAll @IntRange(min = 1, max = 1023) int delta) {
        String[] words;
        try (SecretBytes value = SecretBytes.copyFrom(valueBytes);
                MnemonicShare share = MnemonicShare.of(header, value)) {
            words = new String(share.toMnemonic()).split(" ");
        }
        int at = position % words.length;
        char[] original = words[at].toCharArray();
        int index = WordList.standard().indexOf(original, 0, original.length);
        char[] replacement = new char[WordList.MAX_WORD_LENGTH];
        int length = WordList.standard().write((index + delta) % WordList.SIZE, replacement, 0);
        words[at] = new String(replacement, 0, length);
        char[] changed = String.join(" ", words).toCharArray();
        Slip39Exception e = assertThrows(Slip39Exception.class, () -> MnemonicShare.parse(changed));
        assertEquals(Reason.INVALID_CHECKSUM, e.reason(), e.getMessage());
    }

    @Property(tries = 100)
    void passphrasesOutsidePrintableAscii_areRefused(@ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0,
            max = 0x2FFF) Integer> codePoints) {
        char[] chars = new char[codePoints.size()];
        boolean printable = true;
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) (int) codePoints.get(i);
            printable &= chars[i] >= 32 && chars[i] <= 126;
        }
        if (printable) {
            assertEquals(chars.length, Passphrase.copyOf(chars).length());
        } else {
            assertThrows(IllegalArgumentException.class, () -> Passphrase.copyOf(chars));
        }
    }

    private static List<Integer> shuffled(int size, Random random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        return order;
    }
}
