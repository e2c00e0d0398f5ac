package dev.keyescrow.core.slip39;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.slip39.Slip39Exception.Reason;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * SLIP-0039 split and recovery: a master secret becomes groups of member mnemonics, and a
 * sufficient set of mnemonics gives it back.
 *
 * <p>Split: the master secret is encrypted under the passphrase (see {@link Passphrase}), the
 * ciphertext is split GT-of-G into group shares, and each group share T-of-N into member
 * shares. Randomness (identifier, polynomial coefficients, digest salt) comes from the injected
 * generator: production code uses {@link #withDrbg()}, tests a seeded one.
 *
 * <p>Recovery either returns the secret or throws a {@link Slip39Exception} naming the first
 * problem: each mnemonic is parsed ({@link MnemonicShare#parse}), then all must agree on
 * identifier, extendable flag, iteration exponent, group threshold, group count and length;
 * within a group on the member threshold, with distinct member indices; there must be exactly
 * GT groups and exactly T members in each (the specification's rule: extra shares are refused,
 * not silently ignored); finally every reconstruction is checked against its digest.
 * A wrong passphrase cannot be detected: it gives a different secret, so check the result
 * (a key check value) before use.
 *
 * <p>In messages, groups and members are numbered from 1 (group index + 1), as on the cards.
 */
public final class Slip39 {
    private final SecureRandom random;

    public Slip39(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** With the JDK's DRBG ({@code SecureRandom.getInstance("DRBG")}). */
    public static Slip39 withDrbg() {
        try {
            return new Slip39(SecureRandom.getInstance("DRBG"));
        } catch (NoSuchAlgorithmException e) {
            throw new BugException("the JDK provides no DRBG", e);
        }
    }

    /**
     * Splits {@code masterSecret}: element g of the result holds group g's member shares, member
     * i at position i. The caller destroys the shares after writing them out.
     *
     * @throws IllegalArgumentException if the secret is shorter than 16 bytes or of odd length
     */
    public List<List<MnemonicShare>> split(SecretBytes masterSecret, SplitParameters parameters,
            Passphrase passphrase) {
        Objects.requireNonNull(masterSecret, "masterSecret");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(passphrase, "passphrase");
        MnemonicShare.checkValueLength(masterSecret.length());
        byte[] idBytes = new byte[2];
        random.nextBytes(idBytes);
        int identifier = ((idBytes[0] & 0xFF) << 8 | (idBytes[1] & 0xFF)) & ShareHeader.MAX_IDENTIFIER;
        int groupCount = parameters.groups().size();

        byte[] plain = masterSecret.toByteArray(SecretAccess.plaintext());
        byte[] encrypted = null;
        byte[][] groupShares = null;
        List<List<MnemonicShare>> result = new ArrayList<>(groupCount);
        try {
            encrypted = MasterSecretCipher.encrypt(plain, passphrase, parameters.iterationExponent(), identifier,
                    parameters.extendable());
            groupShares = LevelSharing.split(parameters.groupThreshold(), groupCount, encrypted, random);
            for (int g = 0; g < groupCount; g++) {
                GroupParameters group = parameters.groups().get(g);
                byte[][] memberShares = LevelSharing.split(group.memberThreshold(), group.memberCount(),
                        groupShares[g], random);
                List<MnemonicShare> members = new ArrayList<>(group.memberCount());
                try {
                    for (int m = 0; m < group.memberCount(); m++) {
                        ShareHeader header = new ShareHeader(identifier, parameters.extendable(),
                                parameters.iterationExponent(), g, parameters.groupThreshold(), groupCount, m,
                                group.memberThreshold());
                        try (SecretBytes value = SecretBytes.copyFrom(memberShares[m])) {
                            members.add(MnemonicShare.of(header, value));
                        }
                    }
                } finally {
                    wipe(memberShares);
                }
                result.add(List.copyOf(members));
            }
            return List.copyOf(result);
        } catch (RuntimeException e) {
            result.forEach(group -> group.forEach(MnemonicShare::destroy));
            throw e;
        } finally {
            Arrays.fill(plain, (byte) 0);
            if (encrypted != null) {
                Arrays.fill(encrypted, (byte) 0);
            }
            wipe(groupShares);
        }
    }

    /**
     * Parses every mnemonic and recovers the master secret. The caller keeps (and should wipe)
     * the mnemonics. A parse failure's message starts with "mnemonic k" (1-based position).
     *
     * @throws Slip39Exception naming the first problem (see the class comment)
     */
    public static SecretBytes recoverMnemonics(List<char[]> mnemonics, Passphrase passphrase)
            throws Slip39Exception {
        Objects.requireNonNull(mnemonics, "mnemonics");
        List<MnemonicShare> shares = new ArrayList<>(mnemonics.size());
        try {
            for (int i = 0; i < mnemonics.size(); i++) {
                try {
                    shares.add(MnemonicShare.parse(mnemonics.get(i)));
                } catch (Slip39Exception e) {
                    throw e.withContext("mnemonic " + (i + 1));
                }
            }
            return recover(shares, passphrase);
        } finally {
            shares.forEach(MnemonicShare::destroy);
        }
    }

    /**
     * Recovers the master secret from parsed shares, in any order. The shares are not consumed.
     *
     * @throws Slip39Exception naming the first problem (see the class comment)
     */
    public static SecretBytes recover(List<MnemonicShare> shares, Passphrase passphrase) throws Slip39Exception {
        Objects.requireNonNull(shares, "shares");
        Objects.requireNonNull(passphrase, "passphrase");
        if (shares.isEmpty()) {
            throw new Slip39Exception(Reason.INSUFFICIENT_GROUPS, "no mnemonics were given");
        }
        checkCommonParameters(shares);
        ShareHeader common = shares.get(0).header();
        Map<Integer, List<MnemonicShare>> groups = byGroup(shares);

        if (groups.size() < common.groupThreshold()) {
            throw new Slip39Exception(Reason.INSUFFICIENT_GROUPS, "mnemonics of " + groups.size() + " group"
                    + (groups.size() == 1 ? " were" : "s were") + " given, but " + common.groupThreshold()
                    + " groups are needed");
        }
        if (groups.size() > common.groupThreshold()) {
            throw new Slip39Exception(Reason.TOO_MANY_GROUPS, "mnemonics of " + groups.size() + " groups were given,"
                    + " but exactly " + common.groupThreshold() + " are needed: leave out the extra groups");
        }
        for (Map.Entry<Integer, List<MnemonicShare>> group : groups.entrySet()) {
            int given = group.getValue().size();
            int needed = group.getValue().get(0).header().memberThreshold();
            if (given < needed) {
                throw new Slip39Exception(Reason.INSUFFICIENT_MEMBERS, "group " + (group.getKey() + 1) + " has "
                        + given + " of the " + needed + " mnemonics it needs");
            }
            if (given > needed) {
                throw new Slip39Exception(Reason.TOO_MANY_MEMBERS, "group " + (group.getKey() + 1) + " has "
                        + given + " mnemonics, but exactly " + needed + " are needed: leave out the extra ones");
            }
        }

        int[] groupXs = new int[groups.size()];
        byte[][] groupValues = new byte[groups.size()][];
        byte[] encrypted = null;
        try {
            int g = 0;
            for (Map.Entry<Integer, List<MnemonicShare>> group : groups.entrySet()) {
                List<MnemonicShare> members = group.getValue();
                int[] xs = new int[members.size()];
                byte[][] values = new byte[members.size()][];
                try {
                    for (int m = 0; m < members.size(); m++) {
                        xs[m] = members.get(m).header().memberIndex();
                        values[m] = members.get(m).value().toByteArray(SecretAccess.plaintext());
                    }
                    groupXs[g] = group.getKey();
                    groupValues[g] = LevelSharing.recover(members.get(0).header().memberThreshold(), xs, values,
                            "group " + (group.getKey() + 1));
                    g++;
                } finally {
                    wipe(values);
                }
            }
            encrypted = LevelSharing.recover(common.groupThreshold(), groupXs, groupValues, "the group level");
            byte[] secret = MasterSecretCipher.decrypt(encrypted, passphrase, common.iterationExponent(),
                    common.identifier(), common.extendable());
            return SecretBytes.moveFrom(secret);
        } finally {
            wipe(groupValues);
            if (encrypted != null) {
                Arrays.fill(encrypted, (byte) 0);
            }
        }
    }

    private static void checkCommonParameters(List<MnemonicShare> shares) throws Slip39Exception {
        same(shares, h -> h.identifier(), Reason.DIFFERENT_IDENTIFIERS, "identifiers",
                " (different first words): they are of different backups");
        same(shares, h -> h.extendable() ? 1 : 0, Reason.DIFFERENT_EXTENDABLE_FLAGS, "extendable-backup flags",
                ": they are of different backups");
        same(shares, ShareHeader::iterationExponent, Reason.DIFFERENT_ITERATION_EXPONENTS, "iteration exponents",
                "");
        same(shares, ShareHeader::groupThreshold, Reason.MISMATCHING_GROUP_THRESHOLDS, "group thresholds", "");
        same(shares, ShareHeader::groupCount, Reason.MISMATCHING_GROUP_COUNTS, "group counts", "");
        int length = shares.get(0).value().length();
        for (MnemonicShare share : shares) {
            if (share.value().length() != length) {
                throw new Slip39Exception(Reason.WRONG_LENGTH, "the mnemonics have share values of different"
                        + " lengths: " + length + " and " + share.value().length() + " bytes");
            }
        }
    }

    private static void same(List<MnemonicShare> shares, ToIntFunction<ShareHeader> field, Reason reason,
            String name, String consequence) throws Slip39Exception {
        int first = field.applyAsInt(shares.get(0).header());
        for (MnemonicShare share : shares) {
            int value = field.applyAsInt(share.header());
            if (value != first) {
                throw new Slip39Exception(reason, "the mnemonics have different " + name + ": " + first + " and "
                        + value + consequence);
            }
        }
    }

    /** Shares by group index, checking member thresholds and member indices within each group. */
    private static Map<Integer, List<MnemonicShare>> byGroup(List<MnemonicShare> shares) throws Slip39Exception {
        Map<Integer, List<MnemonicShare>> groups = new TreeMap<>();
        for (MnemonicShare share : shares) {
            groups.computeIfAbsent(share.header().groupIndex(), k -> new ArrayList<>()).add(share);
        }
        for (Map.Entry<Integer, List<MnemonicShare>> group : groups.entrySet()) {
            int threshold = group.getValue().get(0).header().memberThreshold();
            boolean[] seen = new boolean[ShareHeader.MAX_COUNT];
            for (MnemonicShare share : group.getValue()) {
                ShareHeader header = share.header();
                if (header.memberThreshold() != threshold) {
                    throw new Slip39Exception(Reason.MISMATCHING_MEMBER_THRESHOLDS, "the mnemonics of group "
                            + (group.getKey() + 1) + " have different member thresholds: " + threshold + " and "
                            + header.memberThreshold());
                }
            }
            for (MnemonicShare share : group.getValue()) {
                int index = share.header().memberIndex();
                if (seen[index]) {
                    throw new Slip39Exception(Reason.DUPLICATE_MEMBER_INDEX, "group " + (group.getKey() + 1)
                            + " has two mnemonics with member index " + index + " (share " + (index + 1)
                            + "): the same card entered twice, or a forged one");
                }
                seen[index] = true;
            }
        }
        return groups;
    }

    private static void wipe(byte[][] arrays) {
        if (arrays != null) {
            for (byte[] array : arrays) {
                if (array != null) {
                    Arrays.fill(array, (byte) 0);
                }
            }
        }
    }
}
