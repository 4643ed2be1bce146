package org.sluice.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/helm/sluice}: {@code helm lint} and {@code helm template} through helm-java (Helm's own library,
 * no helm binary), and the rendered manifests read into fabric8's typed Kubernetes model, with the fields that
 * make media work and shutdown clean asserted.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("helm/sluice").toAbsolutePath();
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    private List<HasMetadata> render(Consumer<TemplateCommand> values) {
        TemplateCommand template = new Helm(CHART).template().withName("media").withNamespace("rtc");
        values.accept(template);
        String yaml = template.call();
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.lines().anyMatch(line -> line.startsWith("kind:"))) {
                Object parsed = serialization.unmarshal(document);
                if (parsed instanceof KubernetesList list) {
                    objects.addAll(list.getItems());
                } else {
                    objects.add((HasMetadata) parsed);
                }
            }
        }
        return objects;
    }

    private static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static Container sluice(StatefulSet set) {
        return set.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Map<String, EnvVar> env(Container container) {
        Map<String, EnvVar> byName = new java.util.HashMap<>();
        container.getEnv().forEach(e -> byName.put(e.getName(), e));
        return byName;
    }

    private static ContainerPort port(Container container, String name) {
        return container.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst().orElseThrow();
    }

    @Test
    void lintPassesStrictly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void defaultsRenderAStatefulSetWithHostPortsProbesAndADrainingShutdown() {
        List<HasMetadata> objects = render(t -> t.set("auth.existingSecret", "sluice-auth"));
        StatefulSet set = ofType(objects, StatefulSet.class).get(0);
        PodSpec pod = set.getSpec().getTemplate().getSpec();
        Container c = sluice(set);

        assertThat(set.getMetadata().getName()).isEqualTo("media-sluice");
        assertThat(set.getSpec().getReplicas()).isEqualTo(2);
        assertThat(pod.getHostNetwork()).as("no hostNetwork").isNotEqualTo(Boolean.TRUE);
        assertThat(c.getImage()).isEqualTo("sluice:0.1.0");

        ContainerPort udp = port(c, "media-udp");
        assertThat(udp.getProtocol()).isEqualTo("UDP");
        assertThat(udp.getContainerPort()).isEqualTo(10000);
        assertThat(udp.getHostPort()).isEqualTo(10000);
        ContainerPort tcp = port(c, "media-tcp");
        assertThat(tcp.getProtocol()).isEqualTo("TCP");
        assertThat(tcp.getHostPort()).isEqualTo(10000);
        assertThat(port(c, "http").getContainerPort()).isEqualTo(8080);

        Map<String, EnvVar> env = env(c);
        assertThat(env.get("HOST_IP").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.hostIP");
        assertThat(env.get("SLUICE_MEDIA_ADVERTISED_ADDRESSES").getValue()).isEqualTo("$(HOST_IP)");
        assertThat(env.get("SLUICE_MEDIA_BIND_ADDRESS").getValue()).isEqualTo("0.0.0.0");
        assertThat(env.get("SLUICE_MEDIA_UDP_PORT").getValue()).isEqualTo("10000");
        assertThat(env.get("SLUICE_AUTH_SECRET").getValueFrom().getSecretKeyRef().getName()).isEqualTo("sluice-auth");
        assertThat(env.get("SLUICE_AUTH_SECRET").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("auth-secret");
        assertThat(env.get("SLUICE_AUTH_SECRET").getValue()).as("the secret is never inlined").isNull();
        assertThat(env.get("SLUICE_LOG_FORMAT").getValue()).isEqualTo("json");

        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");

        String drain = env.get("SLUICE_SHUTDOWN_DRAIN_TIME").getValue();
        assertThat(drain).isEqualTo("30s");
        long drainSeconds = Long.parseLong(drain.replace("s", ""));
        List<String> preStop = c.getLifecycle().getPreStop().getExec().getCommand();
        assertThat(preStop).containsExactly("sleep", "5");
        assertThat(pod.getTerminationGracePeriodSeconds()).as("grace period covers preStop and drain")
                .isGreaterThan(drainSeconds + Long.parseLong(preStop.get(1)));

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getResources().getLimits()).containsKey("memory");
        assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));

        PodDisruptionBudget pdb = ofType(objects, PodDisruptionBudget.class).get(0);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels())
                .isEqualTo(set.getSpec().getSelector().getMatchLabels());

        List<Service> services = ofType(objects, Service.class);
        assertThat(services).extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder("media-sluice", "media-sluice-headless");
        assertThat(set.getSpec().getServiceName()).isEqualTo("media-sluice-headless");
        assertThat(ofType(objects, GenericKubernetesResource.class)).as("no ServiceMonitor unless asked").isEmpty();
    }

    private static Path valuesFile(Path dir, String yaml) throws java.io.IOException {
        return java.nio.file.Files.writeString(dir.resolve("values-" + yaml.hashCode() + ".yaml"), yaml);
    }

    @Test
    void perPodServicesWithPerPodAddresses(@TempDir Path dir) throws Exception {
        Path values = valuesFile(dir, """
                replicas: 3
                media:
                  exposure: service
                  advertise: perPod
                  perPodAddresses: [198.51.100.10, 198.51.100.11, 198.51.100.12]
                """);
        List<HasMetadata> objects = render(t -> t.withValuesFile(values));
        StatefulSet set = ofType(objects, StatefulSet.class).get(0);
        Container c = sluice(set);
        assertThat(port(c, "media-udp").getHostPort()).as("no hostPort with per-pod Services").isNull();
        assertThat(env(c).get("SLUICE_PER_POD_ADDRESSES").getValue())
                .isEqualTo("198.51.100.10 198.51.100.11 198.51.100.12");
        assertThat(String.join(" ", c.getCommand())).contains("${POD_NAME##*-}").contains("exec java");

        List<Service> media = ofType(objects, Service.class).stream()
                .filter(s -> s.getMetadata().getName().startsWith("media-sluice-media-")).toList();
        assertThat(media).hasSize(3);
        for (int i = 0; i < 3; i++) {
            Service service = media.get(i);
            assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
            assertThat(service.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
            assertThat(service.getSpec().getSelector())
                    .containsEntry("statefulset.kubernetes.io/pod-name", "media-sluice-" + i);
            assertThat(service.getSpec().getPorts()).extracting(p -> p.getProtocol() + "/" + p.getPort())
                    .containsExactlyInAnyOrder("UDP/10000", "TCP/10000");
        }
    }

    @Test
    void staticAddressServiceMonitorAndNoIceTcp() {
        List<HasMetadata> objects = render(t -> t.set("replicas", 1).set("media.advertise", "static")
                .set("media.publicAddress", "203.0.113.7").set("media.tcpPort", 0)
                .set("serviceMonitor.enabled", true).set("auth.existingSecret", "s")
                .set("auth.metricsRequireToken", true).set("serviceMonitor.bearerTokenSecret.name", "prom-token"));
        Container c = sluice(ofType(objects, StatefulSet.class).get(0));
        assertThat(env(c).get("SLUICE_MEDIA_ADVERTISED_ADDRESSES").getValue()).isEqualTo("203.0.113.7");
        assertThat(env(c).get("SLUICE_METRICS_REQUIRE_TOKEN").getValue()).isEqualTo("true");
        assertThat(c.getPorts()).extracting(ContainerPort::getName).containsExactlyInAnyOrder("http", "media-udp");

        GenericKubernetesResource monitor = ofType(objects, GenericKubernetesResource.class).get(0);
        assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
        assertThat(endpoints.get(0)).containsEntry("path", "/metrics").containsEntry("port", "http");
        assertThat(monitor.<String>get("spec", "endpoints", 0, "authorization", "credentials", "name"))
                .isEqualTo("prom-token");
    }

    @Test
    void aGracePeriodShorterThanTheDrainIsRefused(@TempDir Path dir) throws Exception {
        Path tooFew = valuesFile(dir, """
                media:
                  advertise: perPod
                  perPodAddresses: [192.0.2.1]
                """);
        assertThatThrownBy(() -> render(t -> t.set("shutdown.drainSeconds", 60)))
                .hasMessageContaining("terminationGracePeriodSeconds (60) must exceed preStopSeconds + drainSeconds (65)");
        assertThatThrownBy(() -> render(t -> t.set("media.advertise", "static")))
                .hasMessageContaining("media.publicAddress");
        assertThatThrownBy(() -> render(t -> t.withValuesFile(tooFew)))
                .hasMessageContaining("one media.perPodAddresses entry per replica");
    }
}
