package dev.keyescrow.cli.bench;

import dev.keyescrow.cli.cluster.ClusterLayout;
import dev.keyescrow.cli.cluster.MemberJournal;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a reconstruction's time goes, hop by hop, read after the run from what the servers
 * already write: the time of every journal record (the coordinator's and each node's), plus
 * the load generator's own clock for the POST and for the moment it saw ACTIVE. All members run
 * on this machine, so they share one wall clock; the journals keep milliseconds, so each hop is
 * known to about 1 ms, and a median of 0 means "under a millisecond", not free.
 *
 * <p>Reading the journals rather than adding timers keeps the servers' code untouched: the
 * breakdown sees exactly the durable steps the request went through.
 */
final class HopBreakdown {
    /** The hops, in the order a reconstruction passes them. */
    static final List<String> HOPS = List.of(
            "POST -> request journaled (coordinator)",
            "request journaled -> 1st approval accepted (node)",
            "1st -> 2nd approval accepted",
            "2nd -> 3rd approval accepted",
            "3rd approval -> 3rd node release journaled",
            "3rd release journaled -> coordinator accepted 3 releases",
            "3 releases accepted -> ACTIVE journaled (reconstructed)",
            "ACTIVE journaled -> client sees ACTIVE (answer)");

    /** The span from the last approval a request needs to its reconstruction (hops 5 to 7). */
    static final String LAST_APPROVAL_TO_ACTIVE = "= 3rd approval -> ACTIVE journaled (hops 5-7 together)";

    /**
     * The hops of a SIGN (FROST): every holder commits once it counts t approvals (round one),
     * the coordinator calls round two over the first t commitments it has, and aggregates once
     * t signature shares are in. The t-th commitment and the t-th share journaled are taken as
     * the moments each round was complete.
     */
    static final List<String> SIGN_HOPS = List.of(
            "POST -> request journaled (coordinator)",
            "request journaled -> 1st approval accepted (node)",
            "1st -> 2nd approval accepted",
            "2nd -> 3rd approval accepted",
            "3rd approval -> 3rd commitment journaled (round 1)",
            "3rd commitment -> 3rd signature share journaled (round 2)",
            "3rd share journaled -> EXECUTED journaled (aggregated)",
            "EXECUTED journaled -> client sees EXECUTED (answer)");

    /** The span from the last approval a SIGN needs to its signature (hops 5 to 7). */
    static final String LAST_APPROVAL_TO_EXECUTED = "= 3rd approval -> EXECUTED journaled (hops 5-7 together)";

    /** What the load generator saw of one reconstruction, on the wall clock (milliseconds). */
    record ClientTimes(String requestId, long postedMillis, long activeSeenMillis, long latencyNanos) {
    }

    private HopBreakdown() {
    }

    /**
     * Reads the journals of {@code layout}'s members and builds the hops of every request in
     * {@code measured}; requests whose steps are not all found are left out and counted.
     */
    static Result of(ClusterLayout layout, List<String> nodeIds, List<ClientTimes> measured, int threshold)
            throws IOException {
        return of(layout, nodeIds, measured, threshold, false);
    }

    /** As {@link #of(ClusterLayout, List, List, int)} for SIGN requests ({@link #SIGN_HOPS}). */
    static Result ofSign(ClusterLayout layout, List<String> nodeIds, List<ClientTimes> measured, int threshold)
            throws IOException {
        return of(layout, nodeIds, measured, threshold, true);
    }

    private static Result of(ClusterLayout layout, List<String> nodeIds, List<ClientTimes> measured, int threshold,
            boolean sign) throws IOException {
        Map<String, ClientTimes> wanted = new HashMap<>();
        measured.forEach(c -> wanted.put(c.requestId(), c));
        Map<String, Steps> steps = new HashMap<>();
        for (JsonObject event : MemberJournal.events(layout.memberDir(ClusterLayout.COORDINATOR))) {
            String kind = event.getString("event");
            String requestId = MemberJournal.requestIdOf(event);
            if (requestId == null || !wanted.containsKey(requestId)) {
                continue;
            }
            Steps s = steps.computeIfAbsent(requestId, k -> new Steps());
            long at = event.getLong("@time");
            switch (kind) {
                case "request-created" -> s.created = at;
                case "release-accepted" -> s.coordinatorReleases.add(at);
                case "request-state" -> {
                    if ((sign ? "EXECUTED" : "ACTIVE").equals(event.getString("state"))) {
                        s.active = at;
                    }
                }
                default -> {
                }
            }
        }
        for (String node : nodeIds) {
            for (JsonObject event : MemberJournal.events(layout.memberDir(node))) {
                String requestId = MemberJournal.requestIdOf(event);
                Steps s = requestId == null ? null : steps.get(requestId);
                if (s == null) {
                    continue;
                }
                long at = event.getLong("@time");
                switch (event.getString("event")) {
                    // an answer is accepted once at the custodian's own node ("local"); the copies other
                    // nodes take from the cluster are not the custodian's step
                    case "answer-accepted" -> {
                        if ("local".equals(event.getString("origin")) && "APPROVE".equals(event.getString("decision"))) {
                            s.approvals.add(at);
                        }
                    }
                    case "share-released" -> s.releases.add(at);
                    // SIGN's rounds: the released "share" of a FROST key is a commitment, then a signature share
                    case "frost-committed" -> s.releases.add(at);
                    case "frost-signed" -> s.coordinatorReleases.add(at);
                    default -> {
                    }
                }
            }
        }
        List<long[]> rows = new ArrayList<>();
        int incomplete = 0;
        for (ClientTimes c : measured) {
            Steps s = steps.get(c.requestId());
            long[] row = s == null ? null : s.hops(c, threshold);
            if (row == null) {
                incomplete++;
            } else {
                rows.add(row);
            }
        }
        return sign ? new Result(SIGN_HOPS, LAST_APPROVAL_TO_EXECUTED, "signatures", rows, incomplete)
                : new Result(HOPS, LAST_APPROVAL_TO_ACTIVE, "reconstructions", rows, incomplete);
    }

    /** Per-request hop durations (milliseconds, one row per complete request), named by {@code hops}. */
    record Result(List<String> hops, String span, String unit, List<long[]> rows, int incomplete) {
        void print(PrintStream out) {
            out.printf("per-hop breakdown (%d %s%s; journal times, 1 ms resolution)%n", rows.size(), unit,
                    incomplete > 0 ? ", " + incomplete + " without every step left out" : "");
            if (rows.isEmpty()) {
                return;
            }
            for (int h = 0; h < hops.size(); h++) {
                long[] column = new long[rows.size()];
                for (int r = 0; r < rows.size(); r++) {
                    column[r] = rows.get(r)[h];
                }
                Arrays.sort(column);
                out.printf("  %-58s p50 %4d ms  p99 %4d ms%n", hops.get(h), percentile(column, 50),
                        percentile(column, 99));
            }
            // the target is on this span as a whole; a sum of medians is not the median of sums
            long[] span = new long[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                span[r] = rows.get(r)[4] + rows.get(r)[5] + rows.get(r)[6];
            }
            Arrays.sort(span);
            out.printf("  %-58s p50 %4d ms  p99 %4d ms%n", this.span, percentile(span, 50), percentile(span, 99));
        }

        private static long percentile(long[] sorted, double p) {
            int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
        }
    }

    /**
     * The journaled steps of one request, in wall-clock milliseconds. For a SIGN, {@code active}
     * is EXECUTED, {@code releases} the nodes' commitments and {@code coordinatorReleases} the
     * nodes' signature shares: the same positions in the chain of hops.
     */
    private static final class Steps {
        long created = -1;
        long active = -1;
        final List<Long> approvals = new ArrayList<>();
        final List<Long> releases = new ArrayList<>();
        final List<Long> coordinatorReleases = new ArrayList<>();

        long[] hops(ClientTimes c, int threshold) {
            if (created < 0 || active < 0 || approvals.size() < threshold || releases.size() < threshold
                    || coordinatorReleases.size() < threshold) {
                return null;
            }
            List<Long> a = sorted(approvals);
            long lastApproval = a.get(threshold - 1);
            // releases that count are those after the last approval (a node releases once it has t approvals)
            long tthRelease = sorted(releases).get(threshold - 1);
            long tthAccepted = sorted(coordinatorReleases).get(threshold - 1);
            return new long[] {created - c.postedMillis(), a.get(0) - created, a.get(1) - a.get(0),
                lastApproval - a.get(1), tthRelease - lastApproval, tthAccepted - tthRelease, active - tthAccepted,
                c.activeSeenMillis() - active};
        }

        private static List<Long> sorted(List<Long> values) {
            List<Long> copy = new ArrayList<>(values);
            copy.sort(null);
            return copy;
        }
    }
}
