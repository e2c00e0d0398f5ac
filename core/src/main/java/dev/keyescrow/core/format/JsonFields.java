package dev.keyescrow.core.format;

import dev.keyescrow.core.error.FormatException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, strict access to the members of a parsed canonical JSON object: every read names
 * the field when it is missing or of the wrong type, and {@link #requireExactly} refuses
 * unknown members.
 */
public final class JsonFields {
    private final String what;
    private final Map<String, Object> members;

    public JsonFields(String what, Map<String, Object> members) {
        this.what = what;
        this.members = members;
    }

    /** Refuses members other than {@code names}, and missing ones. */
    public JsonFields requireExactly(Set<String> names) throws FormatException {
        Set<String> unknown = new TreeSet<>(members.keySet());
        unknown.removeAll(names);
        if (!unknown.isEmpty()) {
            throw new FormatException(what + ": unknown field(s) " + unknown);
        }
        Set<String> missing = new TreeSet<>(names);
        missing.removeAll(members.keySet());
        if (!missing.isEmpty()) {
            throw new FormatException(what + ": missing field(s) " + missing);
        }
        return this;
    }

    /** The member names, sorted. */
    public Set<String> names() {
        return new TreeSet<>(members.keySet());
    }

    public String string(String name) throws FormatException {
        if (!(members.get(name) instanceof String s)) {
            throw new FormatException(what + ": field \"" + name + "\" must be a string");
        }
        return s;
    }

    public String identifier(String name) throws FormatException {
        String s = string(name);
        if (!Identifiers.isValid(s)) {
            throw new FormatException(what + ": field \"" + name + "\" must match [a-z0-9][a-z0-9-]{0,63}");
        }
        return s;
    }

    public long integer(String name, long min, long max) throws FormatException {
        if (!(members.get(name) instanceof Long n)) {
            throw new FormatException(what + ": field \"" + name + "\" must be an integer");
        }
        if (n < min || n > max) {
            throw new FormatException(what + ": field \"" + name + "\" is " + n + ", must be in [" + min + ", " + max
                    + "]");
        }
        return n;
    }

    /** Standard base64 with padding (RFC 4648 §4), canonical: re-encoding gives the same text. */
    public byte[] base64(String name, int expectedLength) throws FormatException {
        String s = string(name);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new FormatException(what + ": field \"" + name + "\" is not base64");
        }
        if (!Base64.getEncoder().encodeToString(bytes).equals(s)) {
            throw new FormatException(what + ": field \"" + name + "\" is not canonical base64");
        }
        if (expectedLength >= 0 && bytes.length != expectedLength) {
            throw new FormatException(what + ": field \"" + name + "\" must hold " + expectedLength + " bytes, has "
                    + bytes.length);
        }
        return bytes;
    }

    /** Lowercase hex of exactly {@code digits} digits. */
    public String hex(String name, int digits) throws FormatException {
        String s = string(name);
        if (s.length() != digits || !s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new FormatException(what + ": field \"" + name + "\" must be " + digits + " lowercase hex digits");
        }
        return s;
    }

    public JsonFields object(String name) throws FormatException {
        if (!(members.get(name) instanceof Map<?, ?> m)) {
            throw new FormatException(what + ": field \"" + name + "\" must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) m;
        return new JsonFields(what + "." + name, map);
    }

    public List<Object> array(String name) throws FormatException {
        if (!(members.get(name) instanceof List<?> l)) {
            throw new FormatException(what + ": field \"" + name + "\" must be an array");
        }
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) l;
        return list;
    }

    /** The element at {@code index} of an array, as an object. */
    public static JsonFields element(String what, Object element) throws FormatException {
        if (!(element instanceof Map<?, ?> m)) {
            throw new FormatException(what + " must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) m;
        return new JsonFields(what, map);
    }
}
