package dev.keyescrow.server.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts an embedded Hazelcast member as the design asks: bound to one interface, TCP-IP
 * join from a member list, multicast and auto-detection off, REST and memcache off, no
 * phone-home, fast join. Shared by the node and the coordinator.
 *
 * <p>Any member can write anything (threat model A3), so: Java deserialization is allowed
 * for exactly the exception classes Hazelcast sends between members in error responses (the
 * project's own values are {@code String} keys and {@code byte[]} values, which Hazelcast
 * never Java-serializes); each map holds a bounded amount of heap per member and evicts the
 * least recently used entries beyond it; the listener event queue is bounded.
 */
public final class HazelcastMembers {
    /** Held so the level setting is not garbage-collected with the logger. */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    static {
        // join attempts and partition moves are routine; operators need warnings and errors
        HAZELCAST_LOG.setLevel(Level.WARNING);
    }

    private HazelcastMembers() {
    }

    // the REST endpoint is switched off explicitly although it is deprecated: off must not depend on a default
    @SuppressWarnings("removal")
    public static HazelcastInstance start(ClusterSettings settings) {
        Config config = new Config();
        config.setClusterName(settings.clusterName());
        config.setInstanceName(settings.clusterName() + "-" + settings.bindAddress() + "-" + settings.port());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        // listen on the configured interface only, not on every address of the host
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        // long enough for JVMs that start at the same time on a busy machine to finish joining
        config.setProperty("hazelcast.max.join.seconds", "30");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.getJetConfig().setEnabled(false);
        config.setProperty("hazelcast.event.queue.capacity", String.valueOf(ClusterLimits.EVENT_QUEUE_CAPACITY));
        config.getSerializationConfig().setJavaSerializationFilterConfig(javaSerializationAllowList());
        config.addMapConfig(boundedMap("keyescrow.*", ClusterLimits.MAP_HEAP_MIB));
        config.addMapConfig(boundedMap("keyescrow.manifests", ClusterLimits.MANIFEST_MAP_HEAP_MIB));
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(settings.port() == 0);
        network.getInterfaces().setEnabled(true).addInterface(settings.bindAddress());
        network.getRestApiConfig().setEnabled(false);
        network.getMemcacheProtocolConfig().setEnabled(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
        return Hazelcast.newHazelcastInstance(config);
    }

    /**
     * The classes Hazelcast itself Java-serializes between members: exceptions in error
     * responses (a remote failure of a put, a member that left, a topology change during an
     * operation) — Hazelcast's own classes, and the JDK exception types that appear in them.
     * Hazelcast's built-in default list would admit every class whose name starts with
     * {@code java}: the JDK's collections, comparators and proxies are where deserialization
     * gadgets live, so those stay out. A precise list of Hazelcast's own classes was tried and
     * broke multi-process clusters on the first topology change
     * ({@code ClusterTopologyChangedException}, an internal class): Hazelcast's classes are
     * admitted by prefix. {@code java.lang.Enum} is the superclass every Java-serialized enum
     * names (Hazelcast sends {@code ClusterState} that way when a split-brain merge freezes a
     * cluster; without it a cluster split by a network partition never merged again); an enum is
     * read through {@code Enum.valueOf}, never through a constructor or {@code readObject}.
     * {@code java.lang.SecurityException} is how a member tells another that this filter
     * refused a class: without it the refusal itself cannot be read.
     */
    static JavaSerializationFilterConfig javaSerializationAllowList() {
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig().setDefaultsDisabled(true);
        filter.getWhitelist()
                .addClasses("java.lang.Throwable", "java.lang.Exception", "java.lang.RuntimeException",
                        "java.lang.Error", "java.lang.IllegalStateException", "java.lang.IllegalArgumentException",
                        "java.lang.NullPointerException", "java.lang.UnsupportedOperationException",
                        "java.lang.Enum", "java.lang.SecurityException",
                        "java.lang.StackTraceElement", "[Ljava.lang.StackTraceElement;",
                        "java.util.Collections$EmptyList", "java.util.concurrent.CancellationException",
                        "java.util.concurrent.ExecutionException", "java.util.concurrent.TimeoutException",
                        "java.util.concurrent.RejectedExecutionException", "java.lang.InterruptedException",
                        "java.io.IOException", "java.io.EOFException", "java.io.UncheckedIOException",
                        "java.net.ConnectException", "java.net.SocketException",
                        "java.net.SocketTimeoutException")
                .addPrefixes("com.hazelcast.");
        return filter;
    }

    /** A project map: binary values, at most {@code heapMib} of owned entries per member, least recently used evicted first. */
    private static MapConfig boundedMap(String name, int heapMib) {
        MapConfig map = new MapConfig(name).setInMemoryFormat(InMemoryFormat.BINARY);
        map.setEvictionConfig(new EvictionConfig().setEvictionPolicy(EvictionPolicy.LRU)
                .setMaxSizePolicy(MaxSizePolicy.USED_HEAP_SIZE).setSize(heapMib));
        return map;
    }
}
