package dev.keyescrow.cli.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's output: one progress line per step with its timing, and the ceremony log (what
 * a security officer writes down: ids, KCVs, fingerprints, who approved, receipts). Quiet mode
 * prints only the log; JSON mode prints one JSON document at the end.
 */
final class Transcript {
    enum Mode { NORMAL, QUIET, JSON }

    private final PrintStream out;
    private final Mode mode;
    private final int totalSteps;
    private final List<String> log = new ArrayList<>();
    private final JsonArray steps = new JsonArray();
    private int step;
    private long started;
    private String current;

    Transcript(PrintStream out, Mode mode, int totalSteps) {
        this.out = out;
        this.mode = mode;
        this.totalSteps = totalSteps;
    }

    void begin(String what) {
        step++;
        current = what;
        started = System.nanoTime();
        if (mode == Mode.NORMAL) {
            out.printf("[%2d/%d] %s ...%n", step, totalSteps, what);
            out.flush();
        }
    }

    void detail(String line) {
        if (mode == Mode.NORMAL) {
            out.println("        " + line);
        }
    }

    void done() {
        double seconds = (System.nanoTime() - started) / 1e9;
        steps.add(new JsonObject().put("step", step).put("name", current).put("seconds",
                Math.round(seconds * 100) / 100.0));
        if (mode == Mode.NORMAL) {
            out.printf("        done in %.2f s%n", seconds);
            out.flush();
        }
    }

    /** A line for the ceremony log. */
    void record(String line) {
        log.add(line);
    }

    void finish(JsonObject summary) {
        if (mode == Mode.JSON) {
            out.println(summary.put("steps", steps).put("ceremonyLog", new JsonArray(log)).encodePrettily());
            return;
        }
        out.println();
        out.println("CEREMONY LOG");
        log.forEach(line -> out.println("  " + line));
    }

    List<String> log() {
        return List.copyOf(log);
    }
}
