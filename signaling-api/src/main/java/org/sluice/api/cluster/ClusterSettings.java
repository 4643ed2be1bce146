package org.sluice.api.cluster;

import java.util.List;

/**
 * How this server joins a cluster.
 *
 * @param enabled             false: a single node, nothing of this package runs
 * @param host                the address the cluster (Hazelcast and the event bus) binds and announces
 * @param port                Hazelcast's port on {@code host}
 * @param members             static members, {@code host:port} each (this node may be among them)
 * @param publicUrl           this node's HTTP base URL as clients reach it ({@code https://node-1.example.org}):
 *                            where other nodes send clients of a room this node serves
 * @param kubernetesService   non-null: discover members through the Kubernetes API, as the endpoints of this
 *                            service (the static members are then not used)
 * @param kubernetesNamespace the service's namespace (null: the pod's own)
 * @param edgeRelays          true: a WHEP viewer of another node's broadcast is served here, fed by a relay from that
 *                            node (this node becomes an edge); false: it is redirected there (307)
 */
public record ClusterSettings(boolean enabled, String host, int port, List<String> members, String publicUrl,
                              String kubernetesService, String kubernetesNamespace, boolean edgeRelays) {

    /** The Hazelcast default port. */
    public static final int DEFAULT_PORT = 5701;

    public static final ClusterSettings OFF = new ClusterSettings(false, "127.0.0.1", DEFAULT_PORT, List.of(), null,
            null, null, true);

    public ClusterSettings {
        members = List.copyOf(members);
    }

    /** With edge relays on (the default). */
    public ClusterSettings(boolean enabled, String host, int port, List<String> members, String publicUrl,
                           String kubernetesService, String kubernetesNamespace) {
        this(enabled, host, port, members, publicUrl, kubernetesService, kubernetesNamespace, true);
    }

    /** The same, with edge relays on or off. */
    public ClusterSettings withEdgeRelays(boolean on) {
        return new ClusterSettings(enabled, host, port, members, publicUrl, kubernetesService, kubernetesNamespace, on);
    }

    /** A cluster of static members on {@code host}. */
    public static ClusterSettings staticMembers(String host, int port, List<String> members, String publicUrl) {
        return new ClusterSettings(true, host, port, members, publicUrl, null, null, true);
    }
}
