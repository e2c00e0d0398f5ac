package dev.keyescrow.cli.cluster;

import dev.keyescrow.coordinator.config.CoordinatorConfigFile;
import dev.keyescrow.hsm.setup.TokenForm;
import dev.keyescrow.node.config.NodeConfigFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration files of a development cluster's members, written through the typed forms
 * the members read ({@link CoordinatorConfigFile}, {@link NodeConfigFile}). What the enrolment
 * learns — the coordinator's key the nodes pin, the node keys the coordinator pins — is kept
 * here, so that every file can be written again for fresh ports.
 */
final class MemberConfigs {
    private final ClusterLayout layout;
    private final List<String> ids;
    private final String clusterName;
    private final Map<String, TokenForm> tokens;
    private final CoordinatorConfigFile.Operator operator;
    private String coordinatorKey;
    private final Map<String, String[]> nodeKeys = new LinkedHashMap<>();

    /**
     * @param ids the coordinator's id first, then the nodes'
     * @param tokens each member's token
     */
    MemberConfigs(ClusterLayout layout, List<String> ids, String clusterName, Map<String, TokenForm> tokens,
                  CoordinatorConfigFile.Operator operator) {
        this.layout = layout;
        this.ids = List.copyOf(ids);
        this.clusterName = clusterName;
        this.tokens = Map.copyOf(tokens);
        this.operator = operator;
    }

    /** The coordinator's identity key, which every node's file pins from now on. */
    void pinCoordinator(String identityPublicKey) {
        this.coordinatorKey = identityPublicKey;
    }

    /** Enrols node {@code id} with its keys (base64), in the coordinator's file from its next write. */
    void enrol(String id, String identityPublicKey, String transportPublicKey) {
        nodeKeys.put(id, new String[] {identityPublicKey, transportPublicKey});
    }

    void writeCoordinator(ClusterPorts ports) throws IOException {
        String id = ClusterLayout.COORDINATOR;
        List<CoordinatorConfigFile.Node> nodes = new ArrayList<>();
        nodeKeys.forEach((node, keys) -> nodes.add(new CoordinatorConfigFile.Node(node, ports.url(node), keys[0],
                keys[1])));
        CoordinatorConfigFile.development(id, CoordinatorConfigFile.Http.plain(ports.host(id), ports.httpPort(id)),
                ports.cluster(id, ids, clusterName), operator, tokens.get(id)).withNodes(nodes)
                .write(layout.config(id));
    }

    void writeNode(String id, ClusterPorts ports) throws IOException {
        NodeConfigFile.development(id, coordinatorKey, new NodeConfigFile.Http(ports.host(id), ports.httpPort(id),
                null), ports.cluster(id, ids, clusterName), tokens.get(id)).write(layout.config(id));
    }

    /** Writes every member's file again for {@code ports} (a start that tries fresh ports). */
    void writeAll(ClusterPorts ports) throws IOException {
        writeCoordinator(ports);
        for (String id : nodeKeys.keySet()) {
            writeNode(id, ports);
        }
    }
}
