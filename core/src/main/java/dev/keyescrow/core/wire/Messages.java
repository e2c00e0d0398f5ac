package dev.keyescrow.core.wire;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.format.JsonFields;

final class Messages {
    private Messages() {
    }

    static void requireFormat(JsonFields f, String expected) throws FormatException {
        String format = f.string("format");
        if (!expected.equals(format)) {
            throw new FormatException("unknown message format, expected " + expected);
        }
    }
}
