package dev.keyescrow.server.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts an embedded Hazelcast member as the design asks: bound to one interface, TCP-IP
 * join from a member list, multicast and auto-detection off, REST and memcache off, Java
 * deserialization limited to the JDK's defaults (only {@code byte[]} values are stored), no
 * phone-home, fast join. Shared by the node and the coordinator.
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
        config.getSerializationConfig().setJavaSerializationFilterConfig(new JavaSerializationFilterConfig()
                .setDefaultsDisabled(false));
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
}
