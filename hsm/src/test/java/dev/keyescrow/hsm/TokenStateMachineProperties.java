package dev.keyescrow.hsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.pkcs11.Pkcs11Token;
import dev.keyescrow.hsm.pkcs11.SoftHsm2;
import dev.keyescrow.hsm.software.DevelopmentMode;
import dev.keyescrow.hsm.software.SoftwareToken;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.ReleaseOpener;
import dev.keyescrow.hsm.spec.ShareSender;
import dev.keyescrow.hsm.spec.Statements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Stateful properties of a {@link Token}: random sequences of imports, releases, shreds,
 * aborted rotations and restarts, checked against a model (which share values exist,
 * which blobs are current, which were shredded), on both implementations.
 */
class TokenStateMachineProperties {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The token under test and the model of what it must hold. */
    static final class Model {
        interface Opener {
            Token open() throws Exception;
        }

        Token token;
        final Opener reopen;
        final TreeMap<Integer, StoredShare> current = new TreeMap<>();
        final TreeMap<Integer, SecretBytes> values = new TreeMap<>();
        final List<StoredShare> shredded = new ArrayList<>();
        int nextIndex = 1;
        int requests;

        Model(Token token, Opener reopen) {
            this.token = token;
            this.reopen = reopen;
        }

        @Override
        public String toString() {
            return "Model[" + current.size() + " shares, " + shredded.size() + " shredded]";
        }
    }

    interface Step {
        void run(Model model) throws Exception;
    }

    private static Transformer<Model> step(String description, Step step) {
        return Transformer.mutate(description, model -> {
            try {
                step.run(model);
            } catch (RuntimeException | AssertionError e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError(description + " failed: " + e, e);
            }
        });
    }

    private static Action.Independent<Model> importShare() {
        return new Action.Independent<>() {
            @Override
            public Arbitrary<Transformer<Model>> transformer() {
                return Arbitraries.integers().between(1, 48).map(length -> step("import " + length + " bytes", m -> {
                    int index = m.nextIndex++;
                    ShareRef ref = new ShareRef("key-m", 1, index, length);
                    byte[] raw = new byte[length];
                    RANDOM.nextBytes(raw);
                    SecretBytes share = SecretBytes.moveFrom(raw);
                    byte[] envelope = ShareSender.wrapForImport(m.token.transportPublicKey(), ref, share, RANDOM);
                    m.current.put(index, m.token.importShare(ref, envelope).stored());
                    m.values.put(index, share);
                }));
            }

            @Override
            public boolean precondition(Model m) {
                return m.nextIndex <= 255;
            }
        };
    }

    private static Action.Dependent<Model> release() {
        return new Action.Dependent<>() {
            @Override
            public Arbitrary<Transformer<Model>> transformer(Model state) {
                return Arbitraries.of(List.copyOf(state.current.keySet())).map(index -> step("release " + index, m -> {
                    String requestId = "req-" + (m.requests++);
                    byte[] digest = Statements.sha256(requestId.getBytes(StandardCharsets.US_ASCII));
                    StoredShare stored = m.current.get(index);
                    try (EphemeralKey key = EphemeralKey.generate(RANDOM)) {
                        Release release = m.token.release(new ReleaseRequest(requestId, digest, key.publicKey(),
                                stored));
                        try (SecretBytes opened = ReleaseOpener.open(key, m.token.transportPublicKey(), requestId,
                                digest, stored.ref(), release.wrapped())) {
                            assertTrue(m.values.get(index).equalsSecret(opened), "share " + index + " changed");
                        }
                    }
                }));
            }

            @Override
            public boolean precondition(Model m) {
                return !m.current.isEmpty();
            }
        };
    }

    private static Action.Dependent<Model> shred() {
        return new Action.Dependent<>() {
            @Override
            public Arbitrary<Transformer<Model>> transformer(Model state) {
                return Arbitraries.of(List.copyOf(state.current.keySet())).map(index -> step("shred " + index, m -> {
                    StoredShare destroyed = m.current.remove(index);
                    m.values.remove(index).destroy();
                    try (EpochRotation rotation = m.token.beginRotation()) {
                        List<StoredShare> fresh = rotation.rewrap(List.copyOf(m.current.values()));
                        fresh.forEach(s -> m.current.put(s.ref().index(), s));
                        rotation.commit(List.of(destroyed.ref()));
                    }
                    m.shredded.add(destroyed);
                    assertEquals(1, m.token.epochs().size());
                }));
            }

            @Override
            public boolean precondition(Model m) {
                return !m.current.isEmpty();
            }
        };
    }

    private static Action.Independent<Model> abortedRotation() {
        return Action.just(step("aborted rotation", m -> {
            List<Long> before = m.token.epochs();
            try (EpochRotation rotation = m.token.beginRotation()) {
                rotation.rewrap(List.copyOf(m.current.values()));
            }
            assertEquals(before, m.token.epochs());
        }));
    }

    private static Action.Independent<Model> restart() {
        return Action.just(step("restart", m -> {
            m.token.close();
            m.token = m.reopen.open();
        }));
    }

    private static Action.Dependent<Model> shreddedStaysShredded() {
        return new Action.Dependent<>() {
            @Override
            public Arbitrary<Transformer<Model>> transformer(Model state) {
                return Arbitraries.of(List.copyOf(state.shredded)).map(old -> step("open shredded "
                        + old.ref().index(), m -> {
                    try (EphemeralKey key = EphemeralKey.generate(RANDOM)) {
                        assertThrows(ShreddedShareException.class, () -> m.token.release(new ReleaseRequest("req-x",
                                new byte[32], key.publicKey(), old)));
                    }
                }));
            }

            @Override
            public boolean precondition(Model m) {
                return !m.shredded.isEmpty();
            }
        };
    }

    private static Arbitrary<ActionChain<Model>> chains(java.util.function.Supplier<Model> start) {
        return ActionChain.<Model>startWith(start).withAction(3, importShare()).withAction(3, release())
                .withAction(1, shred()).withAction(1, abortedRotation()).withAction(1, restart())
                .withAction(1, shreddedStaysShredded()).withMaxTransformations(12);
    }

    @Provide
    Arbitrary<ActionChain<Model>> pkcs11Chains() {
        return chains(() -> {
            try {
                SoftHsm2.FreshToken fresh = SoftHsm2.freshToken("chain");
                Token token = Pkcs11Token.provision(SoftHsm2.module(), fresh.settings("node-m"));
                return new Model(token, () -> Pkcs11Token.open(SoftHsm2.module(), fresh.settings("node-m")));
            } catch (Exception e) {
                throw new AssertionError("cannot provision a SoftHSM2 token", e);
            }
        });
    }

    @Provide
    Arbitrary<ActionChain<Model>> softwareChains() {
        return chains(() -> {
            try {
                Path directory = Files.createTempDirectory(Path.of("target"), "vault-chain");
                Path vault = directory.resolve("vault.bcfks");
                Path passphraseFile = directory.resolve("passphrase");
                Files.writeString(passphraseFile, "chain passphrase", StandardCharsets.UTF_8);
                PinSource passphrase = PinSource.fromFile(passphraseFile);
                DevelopmentMode dev = DevelopmentMode.explicitlyEnabled();
                Token token = SoftwareToken.provision(dev, vault, passphrase, "node-m", RANDOM);
                return new Model(token, () -> SoftwareToken.open(dev, vault, passphrase, "node-m", RANDOM));
            } catch (Exception e) {
                throw new AssertionError("cannot provision a development vault", e);
            }
        });
    }

    @Property(tries = 25)
    void pkcs11Token_followsTheModel(@ForAll("pkcs11Chains") ActionChain<Model> chain) {
        runAndClose(chain);
    }

    @Property(tries = 8)
    void softwareToken_followsTheModel(@ForAll("softwareChains") ActionChain<Model> chain) {
        runAndClose(chain);
    }

    private static void runAndClose(ActionChain<Model> chain) {
        try {
            chain.run();
        } finally {
            chain.finalState().ifPresent(m -> m.token.close());
        }
    }
}
