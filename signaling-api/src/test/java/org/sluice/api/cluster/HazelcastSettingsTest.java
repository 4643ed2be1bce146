package org.sluice.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link HazelcastSettings}: what a member's Hazelcast configuration is made of, for both kinds of membership. */
class HazelcastSettingsTest {

    @Test
    void staticMembersBindOneAddressAndNeverLookFurther() {
        Config config = HazelcastSettings.of(ClusterSettings.staticMembers("10.0.0.1", 5801,
                List.of("10.0.0.1:5801", "10.0.0.2:5801"), "http://10.0.0.1:8080"));
        assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
        assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("5");
        assertThat(config.getProperty("hazelcast.merge.first.run.delay.seconds")).isEqualTo("10");
        assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
        assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
        assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
        assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
        assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
        assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.1:5801", "10.0.0.2:5801");
        assertThat(config.getMapConfig("__vertx.haInfo").getBackupCount()).as("Vert.x's own maps kept").isEqualTo(1);
    }

    @Test
    void kubernetesDiscoveryUsesTheServiceAndStaysInside() {
        Config config = HazelcastSettings.of(new ClusterSettings(true, "10.1.2.3", 5701, List.of(),
                "https://sluice-0.example.org", "sluice-headless", "media"));
        JoinConfig join = config.getNetworkConfig().getJoin();
        assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
        assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
        assertThat(join.getKubernetesConfig().getProperty("service-name")).isEqualTo("sluice-headless");
        assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5701");
        assertThat(join.getKubernetesConfig().getProperty("namespace")).isEqualTo("media");
        assertThat(join.getKubernetesConfig().getProperty("expose-externally")).isEqualTo("false");
    }
}
