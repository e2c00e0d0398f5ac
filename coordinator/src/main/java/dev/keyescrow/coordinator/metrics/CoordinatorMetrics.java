package dev.keyescrow.coordinator.metrics;

import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.server.http.PrometheusText;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What an operator watches on the coordinator: HTTP requests by status class, the problems
 * it logged (bad releases, unpublished cancellations, witness alerts: each one deserves a
 * look), and, read when scraped, requests by state, journal records by kind, open USE
 * sessions, parked long polls and sealed ephemeral keys held. Labels are fixed names, never request data.
 */
public final class CoordinatorMetrics {
    private final Map<String, LongAdder> httpByClass = new ConcurrentHashMap<>();
    private final LongAdder problems = new LongAdder();
    private volatile dev.keyescrow.server.http.Readiness readiness;

    /** The readiness checks rendered as {@code keyescrow_coordinator_ready{check="..."}} at each scrape. */
    public void readiness(dev.keyescrow.server.http.Readiness checks) {
        this.readiness = checks;
    }

    public void http(int status) {
        httpByClass.computeIfAbsent((status / 100) + "xx", k -> new LongAdder()).increment();
    }

    public void problem() {
        problems.increment();
    }

    /** What is read from the coordinator at scrape time. */
    public record Snapshot(Map<RequestState, Long> requestsByState, Map<String, Long> journalRecordsByKind,
                           int openSessions, int parkedLongPolls, int sealedKeys, long republishedAnswers,
                           long auditReads) {
    }

    /** The Prometheus text exposition of every series. */
    public String render(Snapshot snapshot) {
        PrometheusText out = new PrometheusText();
        dev.keyescrow.server.http.Readiness checks = readiness;
        if (checks != null) {
            checks.renderGauges(out, "keyescrow_coordinator_ready");
        }
        out.family("keyescrow_coordinator_http_requests_total", "counter", "HTTP requests answered, by status class");
        httpByClass.forEach((k, v) -> out.sample("keyescrow_coordinator_http_requests_total", "class", k, v.sum()));
        out.counter("keyescrow_coordinator_problems_total", "problems logged (bad releases, alerts, failed publications)",
                problems.sum());
        out.counter("keyescrow_coordinator_republished_answers_total", "answers received again for finished requests,"
                + " identical to those counted (a node restarted): routine, not problems", snapshot.republishedAnswers());
        out.counter("keyescrow_coordinator_audit_reads_total", "whole-journal reads for GET /v1/audit/verify (callers"
                + " within 10 s of a read share it)", snapshot.auditReads());
        out.family("keyescrow_coordinator_requests", "gauge", "requests by state");
        Map<RequestState, Long> byState = new EnumMap<>(RequestState.class);
        for (RequestState state : RequestState.values()) {
            byState.put(state, snapshot.requestsByState().getOrDefault(state, 0L));
        }
        byState.forEach((state, count) -> out.sample("keyescrow_coordinator_requests", "state",
                state.name().toLowerCase(Locale.ROOT), count));
        out.family("keyescrow_coordinator_journal_records_total", "counter", "journal records by event kind");
        snapshot.journalRecordsByKind().forEach((kind, count) -> out.sample(
                "keyescrow_coordinator_journal_records_total", "kind", kind, count));
        out.family("keyescrow_coordinator_sessions_open", "gauge", "USE sessions open (keys held in the token)");
        out.sample("keyescrow_coordinator_sessions_open", snapshot.openSessions());
        out.family("keyescrow_coordinator_long_polls_parked", "gauge", "long polls waiting for a request to change");
        out.sample("keyescrow_coordinator_long_polls_parked", snapshot.parkedLongPolls());
        out.family("keyescrow_coordinator_sealed_keys", "gauge",
                "sealed ephemeral keys held (requests waiting for their releases)");
        out.sample("keyescrow_coordinator_sealed_keys", snapshot.sealedKeys());
        return out.toString();
    }
}
