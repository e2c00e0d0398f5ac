package dev.keyescrow.hsm.pkcs11;

import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.ShareBlob;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.StoredShare;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.TokenFailureException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The test's stand-in for the node's blob store: one directory per epoch
 * ({@code epoch-<n>/<keyId>_<version>_<index>_<length>}) and a {@code COMPLETE} marker
 * naming the epoch whose blob set is whole. Every file is written to a temporary name,
 * fsynced and renamed; the marker is written only after every blob of its epoch is
 * durable. That marker is what decides, after a crash, which epoch KEK survives.
 */
final class DirectoryBlobStore {
    private final Path root;

    DirectoryBlobStore(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
    }

    long completeEpoch() throws IOException {
        return Long.parseLong(Files.readString(root.resolve("COMPLETE"), StandardCharsets.US_ASCII).trim());
    }

    void markComplete(long epoch) throws IOException {
        writeDurably(root.resolve("COMPLETE"), Long.toString(epoch).getBytes(StandardCharsets.US_ASCII));
    }

    void put(long epoch, List<StoredShare> shares) throws IOException {
        Path dir = root.resolve("epoch-" + epoch);
        Files.createDirectories(dir);
        for (StoredShare share : shares) {
            ShareRef ref = share.ref();
            writeDurably(dir.resolve(ref.keyId() + "_" + ref.version() + "_" + ref.index() + "_" + ref.length()),
                    share.blob().encoded());
        }
    }

    List<StoredShare> list(long epoch) throws IOException, CorruptBlobException {
        Path dir = root.resolve("epoch-" + epoch);
        List<StoredShare> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().endsWith(".tmp")).sorted().toList()) {
                String[] parts = file.getFileName().toString().split("_");
                ShareRef ref = new ShareRef(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                        Integer.parseInt(parts[3]));
                out.add(new StoredShare(ref, ShareBlob.parse(Files.readAllBytes(file))));
            }
        }
        out.sort(Comparator.comparingInt(s -> s.ref().index()));
        return out;
    }

    void deleteEpochsExcept(long keep) throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith("epoch-")).toList()) {
                if (!dir.getFileName().toString().equals("epoch-" + keep)) {
                    try (Stream<Path> walk = Files.walk(dir)) {
                        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        }
    }

    /** After a restart: the marker names the complete epoch; every other KEK and blob set goes. */
    long recover(Token token) throws IOException, TokenFailureException {
        long complete = completeEpoch();
        if (token.epochs().size() > 1) {
            token.retainOnlyEpoch(complete);
        }
        deleteEpochsExcept(complete);
        return complete;
    }

    private static void writeDurably(Path target, byte[] content) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(content));
            channel.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
