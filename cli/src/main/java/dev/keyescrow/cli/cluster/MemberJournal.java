package dev.keyescrow.cli.cluster;

import dev.keyescrow.journal.AppendOnlyLog;
import dev.keyescrow.journal.JournalFormatException;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.JournalRecord;
import dev.keyescrow.journal.RecordFormat;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A member's journal read back as its events, for tools that look at what a local cluster did
 * (the bench's hop breakdown, the demo's transcript). It reads, it does not audit: records
 * that do not decode are skipped, and {@code escrow audit verify} is what checks a journal.
 */
public final class MemberJournal {
    private static final Set<String> KINDS = Set.of("coordinator-event", "node-event");

    private MemberJournal() {
    }

    /** Every event in {@code memberDir}'s journal as JSON, with the record's time (ms) under {@code @time}. */
    public static List<JsonObject> events(Path memberDir) throws IOException {
        Path file = memberDir.resolve("state").resolve("journal").resolve(Journal.JOURNAL_FILE);
        List<JsonObject> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        AppendOnlyLog.read(file, 0, (offset, frame) -> {
            JournalRecord record;
            try {
                record = RecordFormat.decode(frame);
            } catch (JournalFormatException e) {
                return;
            }
            if (KINDS.contains(record.kind())) {
                out.add(new JsonObject(new String(record.body(), StandardCharsets.UTF_8))
                        .put("@time", record.timeMillis()));
            }
        });
        return out;
    }

    /**
     * The id of the request an event is about: its {@code requestId}, or the one inside the
     * canonical request ({@code request-created}) or the signed message of a FROST round.
     */
    public static String requestIdOf(JsonObject event) {
        String id = event.getString("requestId");
        if (id != null) {
            return id;
        }
        String kind = event.getString("event", "");
        String nested = "request-created".equals(kind) ? event.getString("canonical")
                : kind.startsWith("frost-") ? event.getString("message") : null;
        return nested == null ? null : new JsonObject(nested).getString("requestId");
    }
}
