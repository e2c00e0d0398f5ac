package dev.keyescrow.server;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Background work that fails is reported as one short line (a metric, a request's FAILED reason);
 * a failure nobody expected is a bug, and its class name alone does not find it, so its stack
 * trace is logged here, once. Messages of our own exceptions hold public values only.
 */
public final class Unexpected {
    private static final Logger LOG = Logger.getLogger(Unexpected.class.getName());

    private Unexpected() {
    }

    /** Returns {@code "what: ExceptionClass"}; logs the stack trace when the failure is a bug. */
    public static String note(String what, Throwable failure) {
        if (failure instanceof RuntimeException || failure instanceof Error) {
            LOG.log(Level.SEVERE, what, failure);
        }
        return what + ": " + failure.getClass().getSimpleName();
    }
}
