package dev.keyescrow.server.config;

/**
 * The checks the typed configuration forms make in their constructors; each refusal is an
 * {@link IllegalArgumentException} whose message names the setting by its path in the file.
 */
public final class Settings {
    private Settings() {
    }

    /** {@code value}, which must be present and not blank. */
    public static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing setting: " + name);
        }
        return value;
    }

    /** {@code value}, which must be present. */
    public static <T> T requireObject(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("missing setting: " + name);
        }
        return value;
    }

    /** {@code port}, which must be present and a port number. */
    public static int requirePort(Integer port, String name) {
        if (port == null || port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be a port number (0..65535)");
        }
        return port;
    }
}
