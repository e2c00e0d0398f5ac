package dev.keyescrow.coordinator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.keyescrow.hsm.ReleaseRequest;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.StoredShare;
import dev.keyescrow.hsm.spec.ExportReleaseOpener;
import dev.keyescrow.hsm.spec.KekContext;
import dev.keyescrow.hsm.spec.KekPurpose;
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

    /**
     * The coordinator orchestrates a DKG but never computes the group secret nor a share of it:
     * no coordinator class runs a participant, handles a round-two share, recovers a secret
     * from shares, or opens a round-two envelope (its KEK context or the token's opening calls).
     * Only public values (packages, proofs, commitments, verification shares) reach it.
     */
    @Test
    void noCodePathComputesTheGroupSecretOfADkgKey() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("dev.keyescrow.core.frost.DkgParticipant")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.keyescrow.core.frost.DkgRound2Share")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.keyescrow.core.frost.DkgResult")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.keyescrow.core.frost.SecretRecovery")
                .orShould().callMethod(dev.keyescrow.hsm.spec.KekContext.class, "forDkgShare", String.class,
                        int.class, dev.keyescrow.hsm.ShareRef.class)
                .orShould().callMethod(dev.keyescrow.hsm.Token.class, "acceptDkgShare", String.class, int.class,
                        dev.keyescrow.hsm.ShareRef.class, byte[].class)
                .orShould().callMethod(dev.keyescrow.hsm.Token.class, "openDkgShare", String.class, byte[].class,
                        int.class, dev.keyescrow.hsm.ShareRef.class, byte[].class)
                .because("a FROST key made by DKG is never whole anywhere, the coordinator included")
                .check(coordinator);
    }

    @Test
    void mainCodeNeverUsesJavaUtilRandom() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .because("randomness comes from an injected SecureRandom (DRBG)")
                .check(coordinator);
    }

    /**
     * No coordinator code path can open an export release: opening one needs the recipient's
     * side of the {@code export-release} purpose (the opener, its KEK context or its purpose
     * label), and no coordinator class refers to any of them, nor asks a token to release to a
     * recipient. The recipient's private key never reaches the coordinator either: this rule
     * is the second wall, so that a later change cannot quietly add a path.
     */
    @Test
    void noCodePathCanOpenAnExportRelease() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName(ExportReleaseOpener.class.getName())
                .because("only the recipient's offline machine opens export releases")
                .check(coordinator);
        noClasses().should().callMethod(KekContext.class, "forExportRelease", String.class, byte[].class,
                        ShareRef.class)
                .orShould().accessField(KekPurpose.class, "EXPORT_RELEASE")
                .orShould().callMethod(ReleaseRequest.class, "toRecipient", String.class, byte[].class, byte[].class,
                        String.class, StoredShare.class)
                .orShould().accessField(ReleaseRequest.Target.class, "RECIPIENT")
                .because("the export-release KEK is derived by the node's token and the recipient only")
                .check(coordinator);
    }
}
