package dev.keyescrow.node.metrics;

import dev.keyescrow.server.http.PrometheusText;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What an operator watches on a node: HTTP requests by status class, answers by outcome,
 * imports, releases and shreds, refused cluster messages, and the latency of each HSM
 * operation (count and sum of seconds, a Prometheus summary without quantiles).
 *
 * <p>Rendered with {@code server.http.PrometheusText}; labels are fixed strings chosen here,
 * never request data.
 */
public final class NodeMetrics {
    /** HSM operations whose latency is measured. */
    public enum HsmOperation { IMPORT, RELEASE, SHRED }

    private final Map<String, LongAdder> httpByClass = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> answersByOutcome = new ConcurrentHashMap<>();
    private final LongAdder imports = new LongAdder();
    private final LongAdder releases = new LongAdder();
    private final LongAdder shreds = new LongAdder();
    private volatile java.util.function.LongSupplier clusterRefusals = () -> 0;
    private volatile java.util.function.LongSupplier clusterDrops = () -> 0;
    private final Map<HsmOperation, LongAdder> hsmCount = new ConcurrentHashMap<>();
    private final Map<HsmOperation, AtomicLong> hsmNanos = new ConcurrentHashMap<>();
    private volatile dev.keyescrow.server.http.Readiness readiness;

    public void http(int status) {
        httpByClass.computeIfAbsent((status / 100) + "xx", k -> new LongAdder()).increment();
    }

    /** An answer given at this node: {@code COUNTED}, {@code CONFLICT} or {@code REFUSED}. */
    public void answer(String outcome) {
        answersByOutcome.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    public void imported() {
        imports.increment();
    }

    public void released() {
        releases.increment();
    }

    public void shredded() {
        shreds.increment();
    }

    /**
     * Where the cluster counters come from: the bridge counts every refused and dropped
     * message, while its log lines are rate-limited.
     */
    public void clusterCounters(java.util.function.LongSupplier refused, java.util.function.LongSupplier dropped) {
        this.clusterRefusals = refused;
        this.clusterDrops = dropped;
    }

    /** The readiness checks rendered as {@code keyescrow_node_ready{check="..."}} at each scrape. */
    public void readiness(dev.keyescrow.server.http.Readiness checks) {
        this.readiness = checks;
    }

    public void hsm(HsmOperation operation, long nanos) {
        hsmCount.computeIfAbsent(operation, k -> new LongAdder()).increment();
        hsmNanos.computeIfAbsent(operation, k -> new AtomicLong()).addAndGet(nanos);
    }

    /** The Prometheus text exposition of every series (blocking: the readiness checks run now). */
    public String render() {
        PrometheusText out = new PrometheusText();
        dev.keyescrow.server.http.Readiness checks = readiness;
        if (checks != null) {
            checks.renderGauges(out, "keyescrow_node_ready");
        }
        out.family("keyescrow_node_http_requests_total", "counter", "HTTP requests answered, by status class");
        httpByClass.forEach((k, v) -> out.sample("keyescrow_node_http_requests_total", "class", k, v.sum()));
        out.family("keyescrow_node_answers_total", "counter", "custodian answers given at this node, by outcome");
        answersByOutcome.forEach((k, v) -> out.sample("keyescrow_node_answers_total", "outcome", k, v.sum()));
        out.counter("keyescrow_node_imports_total", "shares imported into the token", imports.sum());
        out.counter("keyescrow_node_releases_total", "shares released for a request", releases.sum());
        out.counter("keyescrow_node_shreds_total", "crypto-shredding rotations completed", shreds.sum());
        out.counter("keyescrow_node_cluster_refusals_total", "cluster messages refused",
                clusterRefusals.getAsLong());
        out.counter("keyescrow_node_cluster_dropped_total", "received cluster messages dropped by the full worker queue",
                clusterDrops.getAsLong());
        out.family("keyescrow_node_hsm_seconds", "summary", "latency of token operations");
        for (HsmOperation op : HsmOperation.values()) {
            String label = op.name().toLowerCase(java.util.Locale.ROOT);
            long count = hsmCount.getOrDefault(op, new LongAdder()).sum();
            long nanos = hsmNanos.getOrDefault(op, new AtomicLong()).get();
            out.sample("keyescrow_node_hsm_seconds_count", "operation", label, count);
            out.sample("keyescrow_node_hsm_seconds_sum", "operation", label, nanos / 1e9);
        }
        return out.toString();
    }
}
