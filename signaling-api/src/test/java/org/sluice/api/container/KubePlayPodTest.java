package org.sluice.api.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** {@link KubePlayPod}: what it changes in the chart's rendered pod for kube play, and nothing else. */
class KubePlayPodTest {

    private static KubePlayPod render(UnaryOperator<TemplateCommand> values) {
        TemplateCommand template = new Helm(ServerImage.repositoryRoot().resolve("deploy/helm/sluice")).template()
                .withName("media").withNamespace("rtc")
                .set("image.repository", "localhost/sluice").set("image.tag", "it").set("replicas", "1")
                .set("auth.existingSecret", "media-auth");
        return KubePlayPod.fromRendered(values.apply(template).call(), "rtc", "127.0.0.1");
    }

    private static JsonObject container(KubePlayPod pod) {
        return new JsonObject(pod.manifest()).getJsonObject("spec").getJsonArray("containers").getJsonObject(0);
    }

    private static JsonObject env(JsonObject container, String name) {
        JsonArray env = container.getJsonArray("env");
        for (int i = 0; i < env.size(); i++) {
            if (env.getJsonObject(i).getString("name").equals(name)) {
                return env.getJsonObject(i);
            }
        }
        throw new AssertionError("no env " + name);
    }

    @Test
    void thePodIsPodZeroWithoutPortsAndProbesWithTheNodeAddressFilledIn() {
        KubePlayPod pod = render(t -> t.set("cluster.enabled", "false"));
        JsonObject manifest = new JsonObject(pod.manifest());
        assertThat(manifest.getString("kind")).isEqualTo("Pod");
        assertThat(pod.name()).isEqualTo("media-sluice-0");
        assertThat(pod.podmanContainerName()).isEqualTo("media-sluice-0-sluice");
        assertThat(manifest.getJsonObject("metadata").getJsonObject("labels").getMap()).containsAllEntriesOf(Map.of(
                "app.kubernetes.io/name", "sluice", "app.kubernetes.io/instance", "media",
                "statefulset.kubernetes.io/pod-name", "media-sluice-0"));

        JsonObject container = container(pod);
        assertThat(container.getString("image")).isEqualTo("localhost/sluice:it");
        assertThat(container.containsKey("ports")).isFalse();
        assertThat(container.fieldNames()).doesNotContain("startupProbe", "livenessProbe", "readinessProbe");
        assertThat(pod.port("http")).isEqualTo(8080);
        assertThat(pod.port("media-udp")).isEqualTo(10000);
        assertThat(pod.probe("readinessProbe")).isEqualTo(new KubePlayPod.HttpProbe("/health/ready", 8080));
        assertThat(pod.probe("startupProbe")).isEqualTo(new KubePlayPod.HttpProbe("/health/live", 8080));

        assertThat(env(container, "HOST_IP").getString("value")).isEqualTo("127.0.0.1");
        assertThat(env(container, "HOST_IP").containsKey("valueFrom")).isFalse();
        assertThat(env(container, "SLUICE_MEDIA_ADVERTISED_ADDRESSES").getString("value")).isEqualTo("127.0.0.1");
        assertThat(env(container, "POD_NAME").getJsonObject("valueFrom").getJsonObject("fieldRef")
                .getString("fieldPath")).as("kube play resolves metadata.name itself").isEqualTo("metadata.name");
        assertThat(env(container, "SLUICE_AUTH_SECRET").getJsonObject("valueFrom").getJsonObject("secretKeyRef")
                .getString("name")).isEqualTo("media-auth");
        assertThat(pod.secretKeyRefs()).containsExactly(new KubePlayPod.SecretKeyRef("media-auth", "auth-secret"));

        // Left as rendered: the security context, the /tmp volume, the grace period and the preStop hook.
        assertThat(container.getJsonObject("securityContext").getBoolean("readOnlyRootFilesystem")).isTrue();
        assertThat(new JsonObject(pod.manifest()).getJsonObject("spec").getJsonArray("volumes").getJsonObject(0)
                .getString("name")).isEqualTo("tmp");
        assertThat(pod.gracePeriodSeconds()).isEqualTo(60);
        assertThat(pod.preStopCommand()).containsExactly("sleep", "5");
        assertThat(pod.adaptations()).hasSize(7);
    }

    @Test
    void withTheClusterThePodIpAndNamespaceAreFilledInAndTheStartScriptIsUnchanged() {
        KubePlayPod pod = render(t -> t);
        JsonObject container = container(pod);
        assertThat(env(container, "SLUICE_CLUSTER_HOST").getString("value")).isEqualTo("127.0.0.1");
        assertThat(env(container, "SLUICE_CLUSTER_KUBERNETES_NAMESPACE").getString("value")).isEqualTo("rtc");
        String script = container.getJsonArray("command").getString(2);
        assertThat(script).contains("shift \"$((i + 1))\"").contains("i=${POD_NAME##*-}");
        assertThat(pod.adaptations()).noneMatch(line -> line.startsWith("command"));
    }

    @Test
    void referencesExpandAsTheKubeletExpandsThem() {
        Map<String, String> known = new java.util.HashMap<>(Map.of("A", "1.2.3.4"));
        assertThat(KubePlayPod.expand("$(A)", known)).isEqualTo("1.2.3.4");
        assertThat(KubePlayPod.expand("x$(A):$(B)", known)).isEqualTo("x1.2.3.4:$(B)");
        assertThat(KubePlayPod.expand("$$(A) $$ $x $(A", known)).isEqualTo("$(A) $ $x $(A");
        known.put("S", null);
        assertThatThrownBy(() -> KubePlayPod.expand("$(S)", known)).hasMessageContaining("secret");
    }
}
