package org.sluice.api.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

/**
 * The Hazelcast configuration of a cluster member: Vert.x's own maps (from its default configuration), the
 * network bound to the cluster host only, members by a static list or by Kubernetes, no multicast and no
 * auto-detection, failure detection within a few seconds, and no phone-home (Hazelcast would otherwise report
 * to its vendor over the internet).
 */
public final class HazelcastSettings {

    /** A member that sent no heartbeat for this long is removed (a killed node leaves the directory). */
    static final int MAX_NO_HEARTBEAT_SECONDS = 5;

    private HazelcastSettings() {
    }

    public static Config of(ClusterSettings settings) {
        Config config = ConfigUtil.loadConfig();
        config.setClusterName("sluice");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(MAX_NO_HEARTBEAT_SECONDS));
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        // Members that started at once and found no one (Kubernetes lists a pod's endpoint only after it starts)
        // form separate clusters; look for them and merge within seconds, not Hazelcast's default 5 minutes.
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.getJetConfig().setEnabled(false);
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).clear().addInterface(settings.host());
        network.setPublicAddress(settings.host() + ":" + settings.port());
        network.getRestApiConfig().setEnabled(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getAwsConfig().setEnabled(false);
        if (settings.kubernetesService() != null) {
            join.getTcpIpConfig().setEnabled(false);
            join.getKubernetesConfig().setEnabled(true)
                    .setProperty("service-name", settings.kubernetesService())
                    .setProperty("service-port", String.valueOf(settings.port()))
                    .setProperty("expose-externally", "false");
            if (settings.kubernetesNamespace() != null) {
                join.getKubernetesConfig().setProperty("namespace", settings.kubernetesNamespace());
            }
        } else {
            join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
        }
        return config;
    }
}
