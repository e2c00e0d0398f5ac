package dev.keyescrow.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap a member JVM holds after a full collection, read with the JDK's {@code jcmd}
 * ({@code GC.run}, then {@code GC.heap_info}): the live set, which is what grows with the keys.
 */
final class MemberHeap {
    /** The first "used NNNK" of {@code GC.heap_info}: the whole heap's line, whatever the collector. */
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private MemberHeap() {
    }

    /** Bytes of heap used by process {@code pid} after a full GC. */
    static long usedAfterFullGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        return usedBytes(jcmd(pid, "GC.heap_info"));
    }

    /** The heap used that {@code GC.heap_info} output reports, in bytes. */
    static long usedBytes(String heapInfo) {
        Matcher m = USED.matcher(heapInfo);
        if (!m.find()) {
            throw new IllegalStateException("jcmd GC.heap_info printed no heap figure: " + heapInfo.strip());
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String jcmd = java.endsWith("/java") ? java.substring(0, java.length() - "java".length()) + "jcmd" : "jcmd";
        Process p = new ProcessBuilder(List.of(jcmd, String.valueOf(pid), command)).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("jcmd " + pid + " " + command + " failed: " + out.strip());
        }
        return out;
    }
}
