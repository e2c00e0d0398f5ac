package dev.keyescrow.server.http;

/**
 * The Prometheus text exposition format (0.0.4), written by hand: the servers expose a few
 * dozen series, which do not justify a metrics library and its dependencies on a security
 * component. Label values are fixed strings chosen by the caller, never request data, so
 * no escaping is needed (and {@link #sample(String, String, String, Number)} refuses a value
 * that would need it).
 */
public final class PrometheusText {
    /** The content type of this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder();

    /** Starts a metric family: its HELP and TYPE lines. */
    public PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** A sample without labels. */
    public PrometheusText sample(String name, Number value) {
        out.append(name).append(' ').append(value).append('\n');
        return this;
    }

    /** A sample with one label. */
    public PrometheusText sample(String name, String label, String labelValue, Number value) {
        if (labelValue.indexOf('"') >= 0 || labelValue.indexOf('\\') >= 0 || labelValue.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("label values are fixed names, never text that needs escaping");
        }
        out.append(name).append('{').append(label).append("=\"").append(labelValue).append("\"} ").append(value)
                .append('\n');
        return this;
    }

    /** A family with a single unlabelled counter. */
    public PrometheusText counter(String name, String help, long value) {
        return family(name, "counter", help).sample(name, value);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
