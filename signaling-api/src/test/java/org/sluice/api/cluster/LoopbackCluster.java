package org.sluice.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sluice.api.media.LoopbackMediaServer;
import org.sluice.core.engine.EngineConfig;

/**
 * Real servers (engine, HTTP, Hazelcast) clustered by static members on 127.0.0.1, each with a fixed HTTP port so
 * that its public URL is {@code http://127.0.0.1:port}. Started together; closed in order.
 */
public final class LoopbackCluster implements AutoCloseable {

    private final List<LoopbackMediaServer> nodes = new ArrayList<>();

    private LoopbackCluster() {
    }

    /** {@code count} nodes, returned once the first sees them all. */
    public static LoopbackCluster start(int count) throws Exception {
        return start(count, true);
    }

    /** As above, with edge relays on or off ({@code cluster.edge-relays}). */
    public static LoopbackCluster start(int count, boolean edgeRelays) throws Exception {
        LoopbackCluster cluster = new LoopbackCluster();
        try {
            List<Integer> clusterPorts = new ArrayList<>();
            List<Integer> httpPorts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                clusterPorts.add(freePort());
                httpPorts.add(freePort());
            }
            List<String> members = clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList();
            for (int i = 0; i < count; i++) {
                ClusterSettings settings = ClusterSettings.staticMembers("127.0.0.1", clusterPorts.get(i), members,
                        "http://127.0.0.1:" + httpPorts.get(i)).withEdgeRelays(edgeRelays);
                cluster.nodes.add(LoopbackMediaServer.startClusterNode(EngineConfig.loopback().withMediaLoops(1),
                        httpPorts.get(i), settings));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (cluster.node(0).server().directory().members() < count && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(cluster.node(0).server().directory().members()).as("members seen").isEqualTo(count);
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    public LoopbackMediaServer node(int i) {
        return nodes.get(i);
    }

    /** Closes node {@code i} (it leaves the cluster); the others keep their indexes. */
    public void stop(int i) throws Exception {
        LoopbackMediaServer node = nodes.set(i, null);
        if (node != null) {
            node.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (int i = 0; i < nodes.size(); i++) {
            try {
                stop(i);
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
