package dev.keyescrow.coordinator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The coordinator's package rules (package-info of each package), as failing tests rather than hopes. */
class ArchitectureTest {
    private final JavaClasses coordinator = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.keyescrow.coordinator");

    @Test
    void neverDependsOnTheNode() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.keyescrow.node..")
                .because("the node and the coordinator depend on core, hsm and journal, never on each other")
                .check(coordinator);
    }

    @Test
    void onlyTheHttpLayerAndTheServerUseVertx() {
        noClasses().that().resideOutsideOfPackages("dev.keyescrow.coordinator.http..")
                .and().doNotHaveSimpleName("CoordinatorServer")
                .should().dependOnClassesThat().resideInAPackage("io.vertx..")
                .check(coordinator);
    }

    @Test
    void nothingDependsOnTheHttpLayer() {
        noClasses().that().resideOutsideOfPackages("dev.keyescrow.coordinator.http..")
                .and().doNotHaveSimpleName("CoordinatorServer")
                .should().dependOnClassesThat().resideInAPackage("dev.keyescrow.coordinator.http..")
                .check(coordinator);
    }

    @Test
    void onlyTheClusterPackageAndTheWiringTouchHazelcast() {
        noClasses().that().resideOutsideOfPackages("dev.keyescrow.coordinator.cluster..")
                .and().doNotHaveSimpleName("CoordinatorServer").and().doNotHaveSimpleName("Coordinator")
                .should().dependOnClassesThat().resideInAPackage("com.hazelcast..")
                .check(coordinator);
    }

    @Test
    void theLedgerHoldsNoSecretsAndNoTransport() {
        noClasses().that().resideInAPackage("dev.keyescrow.coordinator.ledger..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.keyescrow.core.secret..",
                        "dev.keyescrow.coordinator.session..", "dev.keyescrow.coordinator.quorum..",
                        "dev.keyescrow.coordinator.cluster..")
                .check(coordinator);
    }

    @Test
    void mainCodeNeverUsesJavaUtilRandom() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .because("randomness comes from an injected SecureRandom (DRBG)")
                .check(coordinator);
    }
}
