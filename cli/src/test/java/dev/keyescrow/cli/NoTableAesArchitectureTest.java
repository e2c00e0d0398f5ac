package dev.keyescrow.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Across every module the command line is built from (core, hsm, journal, server support,
 * node, coordinator, CLI): no main code uses Bouncy Castle's table-based AES or the key-wrap
 * engines built on it. Their lookups are indexed by key-dependent bytes, a cache-timing
 * channel; AES on secrets runs in the JDK's SunJCE (AES-NI) or in the token.
 */
class NoTableAesArchitectureTest {
    private static final List<String> ENGINES = List.of("AESEngine", "AESFastEngine", "AESLightEngine",
            "AESWrapEngine", "AESWrapPadEngine", "RFC3394WrapEngine", "RFC5649WrapEngine");

    @Test
    void noMainCodeUsesBouncyCastlesSoftwareAes() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.keyescrow");
        for (String scanned : List.of("dev.keyescrow.hsm.spec.AesKwp", "dev.keyescrow.hsm.spec.KekDerivation",
                "dev.keyescrow.coordinator.ceremony.KeyCeremony", "dev.keyescrow.node.approval.NodeLedger",
                "dev.keyescrow.cli.ExportCommands")) {
            assertTrue(main.contain(scanned), "the rule must see " + scanned);
        }
        noClasses().should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "are Bouncy Castle's software AES engines",
                        c -> c.getPackageName().equals("org.bouncycastle.crypto.engines")
                                && ENGINES.contains(c.getSimpleName())))
                .because("table-based AES leaks key bits through cache timing; use the JCA or the token")
                .check(main);
    }
}
