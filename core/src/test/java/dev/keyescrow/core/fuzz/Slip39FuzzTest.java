package dev.keyescrow.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.slip39.MnemonicShare;
import dev.keyescrow.core.slip39.Passphrase;
import dev.keyescrow.core.slip39.Slip39;
import dev.keyescrow.core.slip39.Slip39Exception;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** SLIP-0039 mnemonics: parsed or recovered, or refused with {@link Slip39Exception}. */
class Slip39FuzzTest {
    @FuzzTest
    void parse(byte[] input) {
        try (MnemonicShare share = MnemonicShare.parse(new String(input, StandardCharsets.UTF_8).toCharArray())) {
            share.header();
        } catch (Slip39Exception refused) {
            // a documented refusal
        }
    }

    /** Several mnemonics separated by {@code ','}, recovered with the empty passphrase. */
    @FuzzTest
    void recover(byte[] input) {
        List<char[]> mnemonics = new ArrayList<>();
        for (String mnemonic : new String(input, StandardCharsets.UTF_8).split(",", -1)) {
            mnemonics.add(mnemonic.toCharArray());
        }
        try (SecretBytes secret = Slip39.recoverMnemonics(mnemonics, Passphrase.empty())) {
            secret.length();
        } catch (Slip39Exception refused) {
            // a documented refusal
        }
    }
}
