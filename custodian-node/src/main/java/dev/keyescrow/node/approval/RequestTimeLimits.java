package dev.keyescrow.node.approval;

import dev.keyescrow.core.request.CanonicalRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How far the node trusts a request's times, whoever signed it: {@code createdAt} at most
 * {@code maxAhead} after the node's clock (clock skew between coordinator and node), and a
 * lifetime ({@code expiresAt - createdAt}) of at most {@code maxLifetime}. Without the first,
 * a request created a year ahead would stay open for a year although its lifetime is within
 * the cap; the second holds even if the format's own 24 h cap were ever relaxed.
 */
public record RequestTimeLimits(Duration maxAhead, Duration maxLifetime) {
    public static final Duration DEFAULT_MAX_AHEAD = Duration.ofSeconds(60);
    /** A node may be stricter than the request format's cap, never laxer. */
    public static final Duration CAP = CanonicalRequest.MAX_TTL;
    /** Skew larger than this is a broken clock, not a setting. */
    public static final Duration MAX_AHEAD_LIMIT = Duration.ofHours(1);
    public static final RequestTimeLimits DEFAULT = new RequestTimeLimits(DEFAULT_MAX_AHEAD, CAP);

    public RequestTimeLimits {
        Objects.requireNonNull(maxAhead, "maxAhead");
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        if (maxAhead.isNegative() || maxAhead.compareTo(MAX_AHEAD_LIMIT) > 0) {
            throw new IllegalArgumentException("the allowed clock skew must be 0 to " + MAX_AHEAD_LIMIT.toSeconds()
                    + " seconds, got " + maxAhead.toSeconds());
        }
        if (maxLifetime.compareTo(Duration.ofSeconds(1)) < 0 || maxLifetime.compareTo(CAP) > 0) {
            throw new IllegalArgumentException("the request lifetime cap must be 1 to " + CAP.toSeconds()
                    + " seconds, got " + maxLifetime.toSeconds());
        }
    }

    /**
     * Refuses {@code request} if it was created more than {@code maxAhead} after {@code now}
     * or lives longer than {@code maxLifetime}.
     */
    public void check(CanonicalRequest request, Instant now) throws NodeRefusedException {
        Instant latest = now.plus(maxAhead);
        if (request.createdAt().isAfter(latest)) {
            throw new NodeRefusedException(NodeRefusalReason.BAD_REQUEST_TIME, "request " + request.requestId()
                    + " has createdAt " + request.createdAt() + ", more than " + maxAhead.toSeconds()
                    + " s ahead of this node's clock (" + now + ")");
        }
        Duration lifetime = Duration.between(request.createdAt(), request.expiresAt());
        if (lifetime.compareTo(maxLifetime) > 0) {
            throw new NodeRefusedException(NodeRefusalReason.BAD_REQUEST_TIME, "request " + request.requestId()
                    + " lives " + lifetime.toSeconds() + " s from createdAt to expiresAt, more than the cap of "
                    + maxLifetime.toSeconds() + " s");
        }
    }
}
