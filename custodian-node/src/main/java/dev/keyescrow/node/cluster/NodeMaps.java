package dev.keyescrow.node.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.keyescrow.core.wire.ClusterMaps;

/** The cluster maps a node reads or writes, each holding serialized messages under string keys. */
final class NodeMaps {
    final IMap<String, byte[]> manifests;
    final IMap<String, byte[]> requests;
    final IMap<String, byte[]> answers;
    final IMap<String, byte[]> imports;
    final IMap<String, byte[]> receipts;
    final IMap<String, byte[]> releases;
    final IMap<String, byte[]> shreds;
    final IMap<String, byte[]> heads;
    final IMap<String, byte[]> cancels;
    final IMap<String, byte[]> rollbacks;
    final IMap<String, byte[]> rollbackReceipts;
    final IMap<String, byte[]> frostCommitments;
    final IMap<String, byte[]> frostCalls;
    final IMap<String, byte[]> frostShares;
    final IMap<String, byte[]> dkgCalls;
    final IMap<String, byte[]> dkgPackages;
    final IMap<String, byte[]> dkgShares;
    final IMap<String, byte[]> dkgResults;
    final IMap<String, byte[]> dkgComplaints;

    NodeMaps(HazelcastInstance hazelcast) {
        this.manifests = hazelcast.getMap(ClusterMaps.MANIFESTS);
        this.requests = hazelcast.getMap(ClusterMaps.REQUESTS);
        this.answers = hazelcast.getMap(ClusterMaps.ANSWERS);
        this.imports = hazelcast.getMap(ClusterMaps.IMPORTS);
        this.receipts = hazelcast.getMap(ClusterMaps.RECEIPTS);
        this.releases = hazelcast.getMap(ClusterMaps.RELEASES);
        this.shreds = hazelcast.getMap(ClusterMaps.SHREDS);
        this.heads = hazelcast.getMap(ClusterMaps.HEADS);
        this.cancels = hazelcast.getMap(ClusterMaps.CANCELS);
        this.rollbacks = hazelcast.getMap(ClusterMaps.ROLLBACKS);
        this.rollbackReceipts = hazelcast.getMap(ClusterMaps.ROLLBACK_RECEIPTS);
        this.frostCommitments = hazelcast.getMap(ClusterMaps.FROST_COMMITMENTS);
        this.frostCalls = hazelcast.getMap(ClusterMaps.FROST_CALLS);
        this.frostShares = hazelcast.getMap(ClusterMaps.FROST_SHARES);
        this.dkgCalls = hazelcast.getMap(ClusterMaps.DKG_CALLS);
        this.dkgPackages = hazelcast.getMap(ClusterMaps.DKG_PACKAGES);
        this.dkgShares = hazelcast.getMap(ClusterMaps.DKG_SHARES);
        this.dkgResults = hazelcast.getMap(ClusterMaps.DKG_RESULTS);
        this.dkgComplaints = hazelcast.getMap(ClusterMaps.DKG_COMPLAINTS);
    }
}
