package dev.keyescrow.server.http;

import dev.keyescrow.journal.files.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * Refused calls, one line each, in a file that never grows past a bound: when it reaches
 * {@code maxBytes} it is rotated to {@code .1} (replacing the previous one). Refusals must
 * not fill the disk, and they are not journaled. Lines hold the method, path, status and
 * reason only — never a body or a header. The file is created 0600 (a rotation renames it,
 * keeping its mode).
 */
public final class RefusalLog {
    private final Path file;
    private final long maxBytes;
    private final Clock clock;

    public RefusalLog(Path file, long maxBytes, Clock clock) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    public synchronized void record(String method, String path, int status, String reason) {
        String line = clock.instant() + " " + method + " " + sanitize(path) + " " + status + " " + sanitize(reason)
                + "\n";
        try {
            if (Files.exists(file) && Files.size(file) + line.length() > maxBytes) {
                Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel out = PrivateFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            // the refusal itself was answered; losing a log line must not turn it into a server error
        }
    }

    private static String sanitize(String s) {
        String oneLine = s.replaceAll("[\\r\\n\\t]", " ");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }

    public Path file() {
        return file;
    }
}
