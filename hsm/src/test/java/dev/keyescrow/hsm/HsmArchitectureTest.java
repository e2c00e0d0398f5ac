package dev.keyescrow.hsm;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The package rules of {@code package-info.java}, as failing tests. */
class HsmArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.keyescrow.hsm");
    /** The hsm and everything it builds on (the core). */
    private static final JavaClasses ALL_MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.keyescrow");

    @Test
    void thePortDependsOnNoImplementation() {
        noClasses().that().resideInAPackage("dev.keyescrow.hsm").should().dependOnClassesThat()
                .resideInAnyPackage("dev.keyescrow.hsm.pkcs11..", "dev.keyescrow.hsm.software..",
                        "dev.keyescrow.hsm.spec..", "org.xipki..", "iaik..")
                .check(MAIN);
    }

    @Test
    void specAndSoftwareVaultNeverTouchPkcs11() {
        noClasses().that().resideInAnyPackage("dev.keyescrow.hsm.spec..", "dev.keyescrow.hsm.software..").should()
                .dependOnClassesThat().resideInAnyPackage("dev.keyescrow.hsm.pkcs11..", "org.xipki..", "iaik..")
                .check(MAIN);
    }

    /**
     * Bouncy Castle's software AES indexes lookup tables with key-dependent bytes (a cache
     * timing channel); AES on secrets runs in the JDK (AES-NI) or in the token instead.
     */
    @Test
    void noTableBasedAesOnSecrets() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("org.bouncycastle.crypto.engines.AESEngine")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.bouncycastle.crypto.engines.AESFastEngine")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.bouncycastle.crypto.engines.AESLightEngine")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.bouncycastle.crypto.engines.AESWrapEngine")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.bouncycastle.crypto.engines.AESWrapPadEngine")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.bouncycastle.crypto.engines.RFC3394WrapEngine")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.bouncycastle.crypto.engines.RFC5649WrapEngine")
                .because("table-based AES leaks key bits through cache timing; use the JCA or the token")
                .check(ALL_MAIN);
    }

    @Test
    void specDoesNotDependOnTheVault() {
        noClasses().that().resideInAPackage("dev.keyescrow.hsm.spec..").should().dependOnClassesThat()
                .resideInAPackage("dev.keyescrow.hsm.software..").check(MAIN);
    }
}
