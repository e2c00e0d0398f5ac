package dev.keyescrow.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core is pure: no framework, no PKCS#11, no file system, no network. */
class ArchitectureTest {
    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.keyescrow.core");

    @Test
    void coreImportsNoFrameworkHsmOrFileSystem() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "io.vertx..", "com.hazelcast..", "com.fasterxml..", "org.xipki..", "iaik..",
                        "sun.security.pkcs11..", "java.nio.file..", "java.net..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileInputStream")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileOutputStream")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.RandomAccessFile")
                .because("core has no I/O and no framework (design: Modules)")
                .check(core);
    }

    @Test
    void internalPackagesAreUsedOnlyByTheirParent() {
        noClasses().that().resideOutsideOfPackages("dev.keyescrow.core.sharing..")
                .should().dependOnClassesThat().resideInAPackage("dev.keyescrow.core.sharing.internal..")
                .check(core);
    }

    @Test
    void mainCodeNeverUsesJavaUtilRandom() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .because("randomness comes from an injected SecureRandom (DRBG)")
                .check(core);
    }
}
