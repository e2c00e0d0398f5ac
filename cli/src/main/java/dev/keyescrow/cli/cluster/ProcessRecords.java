package dev.keyescrow.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyescrow.journal.files.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code processes.json}: the members a cluster started, by process id, written as each one starts. */
final class ProcessRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProcessRecords() {
    }

    static void write(Path file, List<MemberProcess> members) throws IOException {
        ArrayNode array = JSON.createArrayNode();
        for (MemberProcess m : members) {
            ObjectNode o = array.addObject();
            o.put("id", m.id()).put("pid", m.pid()).put("startedAt", m.startedAt()).put("config", m.config().toString())
                    .put("url", m.url());
        }
        PrivateFiles.replace(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(array));
    }

    static List<MemberProcess> read(Path file) throws IOException {
        List<MemberProcess> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (JsonNode o : JSON.readTree(file.toFile())) {
            out.add(new MemberProcess(o.get("id").asText(), o.get("pid").asLong(), o.path("startedAt").asLong(0),
                    Path.of(o.get("config").asText()), o.get("url").asText()));
        }
        return out;
    }

    /**
     * The live process of {@code member}, if it is still running and still ours: a recycled
     * process id belongs to a process that started at another time.
     */
    static Optional<ProcessHandle> live(MemberProcess member) {
        return ProcessHandle.of(member.pid()).filter(ProcessHandle::isAlive).filter(p -> member.startedAt() == 0
                || p.info().startInstant().map(i -> i.toEpochMilli() == member.startedAt()).orElse(true));
    }
}
