package dev.keyescrow.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.cluster.ClusterState;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two real members change the cluster's state together, as Hazelcast's split-brain merge does
 * (it freezes the smaller side's cluster before that side joins the larger). The change
 * travels as a Java-serialized enum: with {@code java.lang.Enum} outside the serialization
 * allow-list, every member refused it, a cluster split by a network partition never merged
 * again after the heal, and requests issued on one side never reached the other (found by the
 * partition test; this test failed with "Resolving class java.lang.Enum is not allowed").
 */
class ClusterStateChangeTest {
    @Test
    void twoMembersFreezeAndThawTheirClusterTogether() throws Exception {
        int a = freePort();
        int b = freePort();
        List<String> members = List.of("127.0.0.1:" + a, "127.0.0.1:" + b);
        String name = "state-" + UUID.randomUUID();
        HazelcastInstance first = HazelcastMembers.start(new ClusterSettings(name, "127.0.0.1", a, members));
        try {
            HazelcastInstance second = HazelcastMembers.start(new ClusterSettings(name, "127.0.0.1", b, members));
            try {
                assertEquals(2, first.getCluster().getMembers().size());
                first.getCluster().changeClusterState(ClusterState.FROZEN);
                assertEquals(ClusterState.FROZEN, second.getCluster().getClusterState());
                second.getCluster().changeClusterState(ClusterState.ACTIVE);
                assertEquals(ClusterState.ACTIVE, first.getCluster().getClusterState());
            } finally {
                second.shutdown();
            }
        } finally {
            first.shutdown();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
