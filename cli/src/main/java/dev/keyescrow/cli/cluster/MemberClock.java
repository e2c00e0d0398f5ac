package dev.keyescrow.cli.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The clock a member process runs on: the system clock, or — in development mode only — the
 * system clock shifted by {@value #VARIABLE} seconds, so that clock-skew drills ({@code escrow
 * chaos --skew}) run a real member minutes ahead or behind without touching the machine's clock
 * ({@code faketime} under the JVM broke its HTTP server). A production member refuses to start
 * with the variable set: a shifted clock there would be a way to keep expired requests open.
 */
public final class MemberClock {
    public static final String VARIABLE = "ESCROW_DEV_CLOCK_OFFSET_SECONDS";
    /** A day either way: more is not skew but a broken clock, and no drill needs it. */
    public static final long MAX_OFFSET_SECONDS = 86_400;

    private MemberClock() {
    }

    /**
     * The clock for a member whose configuration says {@code dev}, given its environment.
     *
     * @throws IllegalArgumentException the variable is set outside development mode, or is not
     *                                  a whole number of seconds within a day: say so and exit 2
     */
    public static Clock of(boolean dev, Map<String, String> environment) {
        Duration offset = offset(environment);
        if (offset.isZero()) {
            return Clock.systemUTC();
        }
        if (!dev) {
            throw new IllegalArgumentException(VARIABLE + " is honoured only in development mode (\"dev\": true);"
                    + " unset it to start this member");
        }
        return Clock.offset(Clock.systemUTC(), offset);
    }

    /** The offset the environment asks for (zero when the variable is unset or empty). */
    public static Duration offset(Map<String, String> environment) {
        String value = environment.get(VARIABLE);
        if (value == null || value.isBlank()) {
            return Duration.ZERO;
        }
        long seconds;
        try {
            seconds = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(VARIABLE + " must be a whole number of seconds, got \"" + value + "\"");
        }
        if (Math.abs(seconds) > MAX_OFFSET_SECONDS) {
            throw new IllegalArgumentException(VARIABLE + " must be within " + MAX_OFFSET_SECONDS + " seconds either"
                    + " way, got " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    /** How the start line shows the offset: empty without one, else e.g. {@code ", clock +600 s"}. */
    public static String describe(Map<String, String> environment) {
        Duration offset = offset(environment);
        return offset.isZero() ? "" : ", clock " + (offset.isNegative() ? "" : "+") + offset.toSeconds() + " s";
    }
}
