package dev.keyescrow.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.node.Ceremony;
import dev.keyescrow.node.MutableClock;
import dev.keyescrow.node.approval.NodeEvent;
import dev.keyescrow.node.approval.NodeService;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A custodian who answered both ways counts as a denial, once. Anyone who saw the two signed
 * answers (every cluster member does; so does whoever watched them posted) can send them again
 * and again, over the node's HTTP API or relayed through the cluster. Each must change nothing:
 * before the fix every replay after the conflict was taken for a new conflict, so it grew the
 * node's signed journal by one fsync'd record, was published to the cluster again (where every
 * holder's node journaled it too) and raised another alert — an unbounded disk and alert flood
 * from two signatures.
 */
class ConflictReplayAttackTest {
    private static final int REPLAYS = 25;

    @TempDir
    Path state;

    private final MutableClock clock = new MutableClock(Ceremony.NOW.plusSeconds(1));
    private final HttpClient http = HttpClient.newHttpClient();
    private ServedNode served;
    private Ceremony ceremony;
    private NodeService service;
    private String base;
    private List<Approval> published;

    @BeforeEach
    void start() throws Exception {
        served = ServedNode.start(state, clock, 1, 2);
        ceremony = served.ceremony;
        service = served.service;
        base = served.base;
        published = served.published;
    }

    @AfterEach
    void stop() throws Exception {
        served.close();
    }

    private HttpResponse<String> post(Approval a) throws Exception {
        String body = new JsonObject().put("custodianId", a.custodianId()).put("decision", a.decision().name())
                .put("signature", Base64.getEncoder().encodeToString(a.signature())).encode();
        return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/requests/" + a.requestId() + "/approvals"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private long journalSequence() throws Exception {
        HttpResponse<String> audit = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/audit")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, audit.statusCode(), audit.body());
        return new JsonObject(audit.body()).getLong("sequence");
    }

    @Test
    void replayedConflictingAnswers_overHttp_changeNothing() throws Exception {
        CanonicalRequest request = ceremony.useRequest("req-conflict");
        service.submit(ceremony.requestEvent(request));
        Approval approve = ceremony.answer(request, 1, Decision.APPROVE);
        Approval deny = ceremony.answer(request, 1, Decision.DENY);
        assertEquals("COUNTED", new JsonObject(post(approve).body()).getString("outcome"));
        HttpResponse<String> conflict = post(deny);
        assertEquals(201, conflict.statusCode(), conflict.body());
        assertEquals("CONFLICT", new JsonObject(conflict.body()).getString("outcome"));
        long sequence = journalSequence();
        int publications = published.size();

        for (int i = 0; i < REPLAYS; i++) {
            HttpResponse<String> again = post(i % 2 == 0 ? approve : deny);
            assertEquals(409, again.statusCode(), "replay " + i + ": " + again.body());
        }

        assertEquals(sequence, journalSequence(), "replays journaled records");
        assertEquals(publications, published.size(), "replays were published to the cluster again");
        assertEquals(List.of(), service.view("req-conflict").approvers(), "custodian-1 counts as a denial");
    }

    @Test
    void replayedConflictingAnswers_relayedFromTheCluster_changeNothing() throws Exception {
        CanonicalRequest request = ceremony.useRequest("req-relayed");
        service.submit(ceremony.requestEvent(request));
        Approval approve = ceremony.answer(request, 4, Decision.APPROVE);
        Approval deny = ceremony.answer(request, 4, Decision.DENY);
        assertEquals(true, service.submit(new NodeEvent.AnswerAccepted(approve, false)));
        assertEquals(true, service.submit(new NodeEvent.AnswerAccepted(deny, false)), "the first conflict is recorded");
        long sequence = journalSequence();

        for (int i = 0; i < REPLAYS; i++) {
            service.submit(new NodeEvent.AnswerAccepted(i % 2 == 0 ? approve : deny, false));
        }

        assertEquals(sequence, journalSequence(), "relayed replays journaled records");
    }
}
