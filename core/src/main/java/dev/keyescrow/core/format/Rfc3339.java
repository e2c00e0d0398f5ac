package dev.keyescrow.core.format;

import dev.keyescrow.core.error.FormatException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * Times on the wire: RFC 3339 in UTC with whole seconds, exactly {@code YYYY-MM-DDTHH:MM:SSZ}.
 * One spelling per instant, so times can sit inside canonical JSON.
 */
public final class Rfc3339 {
    private static final Pattern FORMAT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    private static final DateTimeFormatter WRITER = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private Rfc3339() {
    }

    /** {@code instant} truncated to whole seconds, in the wire form. */
    public static String format(Instant instant) {
        return WRITER.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Parses the wire form; anything else (offsets, fractions, lowercase) is refused. */
    public static Instant parse(String text) throws FormatException {
        if (text == null || !FORMAT.matcher(text).matches()) {
            throw new FormatException("time must be RFC 3339 UTC with whole seconds, like 2026-01-31T23:59:59Z");
        }
        try {
            Instant instant = Instant.parse(text);
            if (!format(instant).equals(text)) {
                throw new FormatException("time is not a valid date: " + text);
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw new FormatException("time is not a valid date: " + text);
        }
    }
}
