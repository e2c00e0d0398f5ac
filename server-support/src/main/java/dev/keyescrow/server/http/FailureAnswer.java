package dev.keyescrow.server.http;

import dev.keyescrow.core.error.PartUnavailable;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What both servers answer when work failed other than by a refusal: a 503 naming the part that
 * failed (token, journal, cluster), or a 500 logged once with its stack trace. Refusals (4xx) are
 * mapped by each server's refusal vocabulary before this is asked.
 */
public record FailureAnswer(String type, String title, int status, String detail) {
    private static final Logger LOG = Logger.getLogger(FailureAnswer.class.getName());

    /**
     * @param server {@code node} or {@code coordinator}, named in the detail
     * @param where  the method and path, for the log line only
     */
    public static FailureAnswer of(Throwable failure, String server, String where) {
        String part = failure instanceof PartUnavailable p ? p.part()
                : failure instanceof IOException ? "journal" : null;
        if (part == null) {
            // the only place an unexpected failure is logged; messages of our exceptions hold public values only
            LOG.log(Level.SEVERE, "unexpected failure answering " + where, failure);
            return new FailureAnswer(Problems.TYPE_BASE + "internal", "Internal Server Error", 500,
                    "unexpected failure; the " + server + "'s log has the details");
        }
        return new FailureAnswer(Problems.TYPE_BASE + part + "-unavailable", "Service Unavailable", 503,
                switch (part) {
                    case "token" -> "the " + server + "'s token failed; nothing was done; retry once"
                            + " GET /v1/health/ready answers 200";
                    case "journal" -> "the " + server + " could not record the change durably; nothing was accepted";
                    default -> "the cluster did not take the message in time; nothing was acknowledged";
                });
    }

    /** Sends this answer as a problem document. */
    public void send(io.vertx.ext.web.RoutingContext ctx) {
        Problems.send(ctx, type, title, status, detail);
    }
}
