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

    @Test
    void specDoesNotDependOnTheVault() {
        noClasses().that().resideInAPackage("dev.keyescrow.hsm.spec..").should().dependOnClassesThat()
                .resideInAPackage("dev.keyescrow.hsm.software..").check(MAIN);
    }
}
