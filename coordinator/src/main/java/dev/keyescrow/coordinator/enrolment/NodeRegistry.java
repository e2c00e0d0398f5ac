package dev.keyescrow.coordinator.enrolment;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The enrolled nodes, fixed at start from configuration: after the fingerprint comparison
 * their keys are pinned, and changing them needs a quorum (not through this API).
 * Immutable, so it can be read from any thread.
 */
public final class NodeRegistry {
    private final Map<String, EnrolledNode> nodes;

    public NodeRegistry(List<EnrolledNode> nodes) {
        Map<String, EnrolledNode> byId = new LinkedHashMap<>();
        for (EnrolledNode node : nodes) {
            if (byId.put(node.id(), node) != null) {
                throw new IllegalArgumentException("node " + node.id() + " is enrolled twice");
            }
        }
        this.nodes = Collections.unmodifiableMap(byId);
    }

    public Optional<EnrolledNode> find(String nodeId) {
        return Optional.ofNullable(nodes.get(nodeId));
    }

    public Collection<EnrolledNode> all() {
        return nodes.values();
    }
}
