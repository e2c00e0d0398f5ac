package dev.keyescrow.cli.cluster;

import java.util.List;
import java.util.Map;

/**
 * Where the members of a local cluster live on the network. The default is the development
 * cluster's: every member on loopback, reached directly. The partition harness puts each
 * member in a network namespace of its own: the member binds and advertises its namespace's
 * address, is launched inside the namespace, and the driver reaches its HTTP API through a
 * forwarder, since the driver's own namespace has no route to the members'.
 */
public interface MemberNetwork {
    /** Every member on loopback (what {@code escrow cluster start} uses). */
    MemberNetwork LOOPBACK = new MemberNetwork() {
    };

    /** The address member {@code id} binds (HTTP and Hazelcast) and that the others use to reach it. */
    default String address(String id) {
        return "127.0.0.1";
    }

    /** Words put before the member's command line (for example {@code ip netns exec NAME}). */
    default List<String> launchPrefix(String id) {
        return List.of();
    }

    /** Environment variables added to the member's own (after its token's). */
    default Map<String, String> environment(String id) {
        return Map.of();
    }

    /**
     * The URL the driver (this process) uses for member {@code id}, whose HTTP server listens
     * on {@code memberUrl}.
     */
    default String driverUrl(String id, String memberUrl) throws java.io.IOException {
        return memberUrl;
    }
}
