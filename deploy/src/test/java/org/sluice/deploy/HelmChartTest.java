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
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/helm/sluice}: {@code helm lint} and {@code helm template} through helm-java (Helm's own library,
 * no helm binary), and the rendered manifests read into fabric8's typed Kubernetes model, with the fields that
 * make media work, the cluster find its members and shutdown clean asserted.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("helm/sluice").toAbsolutePath();
    /** With the cluster on (the default) and two replicas, the chart needs each pod's public URL. */
    private static final String URL_TEMPLATE = "https://sluice-{ordinal}.example.org";
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
        // In lint mode Helm reports a fail() (here: the cluster's public URLs, which have no default) as INFO.
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void defaultsRenderAStatefulSetWithHostPortsProbesAndADrainingShutdown() {
        List<HasMetadata> objects = render(t -> t.set("auth.existingSecret", "sluice-auth")
                .set("cluster.publicUrlTemplate", URL_TEMPLATE));
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
                cluster:
                  perPodPublicUrls: [https://a.example.org, https://b.example.org, https://c.example.org:8443]
                """);
        List<HasMetadata> objects = render(t -> t.withValuesFile(values));
        StatefulSet set = ofType(objects, StatefulSet.class).get(0);
        Container c = sluice(set);
        assertThat(port(c, "media-udp").getHostPort()).as("no hostPort with per-pod Services").isNull();
        assertThat(env(c).get("SLUICE_PER_POD_ADDRESSES").getValue())
                .isEqualTo("198.51.100.10 198.51.100.11 198.51.100.12");
        assertThat(String.join(" ", c.getCommand())).contains("${POD_NAME##*-}").contains("exec java");
        assertThat(startScript(c, "media-sluice-2"))
                .isEqualTo("media=198.51.100.12 url=https://c.example.org:8443");
        assertThat(startScript(c, "media-sluice-0")).isEqualTo("media=198.51.100.10 url=https://a.example.org");

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
        assertThat(c.getPorts()).extracting(ContainerPort::getName)
                .containsExactlyInAnyOrder("http", "media-udp", "cluster");
        assertThat(env(c).get("SLUICE_CLUSTER_PER_POD_PUBLIC_URLS").getValue())
                .as("a single replica never redirects: its in-cluster address will do")
                .isEqualTo("http://media-sluice-0.media-sluice-headless.rtc.svc:8080");

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
        assertThatThrownBy(() -> render(t -> t.set("shutdown.drainSeconds", 60)
                .set("cluster.publicUrlTemplate", URL_TEMPLATE)))
                .hasMessageContaining("terminationGracePeriodSeconds (60) must exceed preStopSeconds + drainSeconds (65)");
        assertThatThrownBy(() -> render(t -> t.set("media.advertise", "static").set("cluster.enabled", false)))
                .hasMessageContaining("media.publicAddress");
        assertThatThrownBy(() -> render(t -> t.withValuesFile(tooFew).set("cluster.enabled", false)))
                .hasMessageContaining("one media.perPodAddresses entry per replica");
    }

    /**
     * Runs the container's start script in {@code sh} as pod {@code podName}, with the rendered environment and
     * {@code exec java} replaced by printing what the server would get; returns that, or the error.
     */
    private static String startScript(Container c, String podName) throws Exception {
        List<String> command = c.getCommand();
        assertThat(command.subList(0, 2)).containsExactly("sh", "-c");
        String script = command.get(2);
        assertThat(script).endsWith("exec java $JAVA_OPTS -jar /app/sluice-server.jar");
        script = script.replace("exec java $JAVA_OPTS -jar /app/sluice-server.jar",
                "echo \"media=$SLUICE_MEDIA_ADVERTISED_ADDRESSES url=$SLUICE_CLUSTER_PUBLIC_URL\"");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
        builder.environment().clear();
        for (EnvVar e : c.getEnv()) {
            if (e.getValue() != null) {
                builder.environment().put(e.getName(), e.getValue());
            }
        }
        builder.environment().put("POD_NAME", podName);
        Process process = builder.start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return process.exitValue() == 0 ? out : "exit " + process.exitValue() + ": " + out;
    }

    @Test
    void theClusterIsOnByDefault_membersFoundThroughTheHeadlessServiceWithANamespacedRole() throws Exception {
        List<HasMetadata> objects = render(t -> t.set("cluster.publicUrlTemplate", URL_TEMPLATE));
        StatefulSet set = ofType(objects, StatefulSet.class).get(0);
        PodSpec pod = set.getSpec().getTemplate().getSpec();
        Container c = sluice(set);
        Map<String, String> labels = set.getMetadata().getLabels();

        Map<String, EnvVar> env = env(c);
        assertThat(env.get("SLUICE_CLUSTER_ENABLED").getValue()).isEqualTo("true");
        assertThat(env.get("SLUICE_CLUSTER_HOST").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
        assertThat(env.get("SLUICE_CLUSTER_PORT").getValue()).isEqualTo("5701");
        assertThat(env.get("SLUICE_CLUSTER_KUBERNETES_SERVICE").getValue()).isEqualTo("media-sluice-headless");
        assertThat(env.get("SLUICE_CLUSTER_KUBERNETES_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.namespace");
        assertThat(env.get("SLUICE_CLUSTER_PER_POD_PUBLIC_URLS").getValue())
                .isEqualTo("https://sluice-0.example.org https://sluice-1.example.org");
        assertThat(env.get("HAZELCAST_KUBERNETES_EXPOSE_EXTERNALLY").getValue()).isEqualTo("false");
        assertThat(env).doesNotContainKey("SLUICE_CLUSTER_MEMBERS");
        assertThat(env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");

        assertThat(startScript(c, "media-sluice-0")).isEqualTo("media=$(HOST_IP) url=https://sluice-0.example.org");
        assertThat(startScript(c, "media-sluice-1")).isEqualTo("media=$(HOST_IP) url=https://sluice-1.example.org");
        assertThat(startScript(c, "media-sluice-2")).as("a pod beyond the rendered replicas stops")
                .startsWith("exit 1: media-sluice-2: SLUICE_CLUSTER_PER_POD_PUBLIC_URLS has no entry 2")
                .contains("replicas=3");
        assertThat(String.join(" ", c.getCommand())).as("the media address is not per pod here")
                .doesNotContain("SLUICE_PER_POD_ADDRESSES");

        ContainerPort cluster = port(c, "cluster");
        assertThat(cluster.getContainerPort()).isEqualTo(5701);
        assertThat(cluster.getProtocol()).isEqualTo("TCP");
        assertThat(cluster.getHostPort()).as("cluster traffic stays on the pod network").isNull();

        Map<String, Service> services = new java.util.HashMap<>();
        ofType(objects, Service.class).forEach(s -> services.put(s.getMetadata().getName(), s));
        Service headless = services.get("media-sluice-headless");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        ServicePort headlessCluster = headless.getSpec().getPorts().stream()
                .filter(p -> "cluster".equals(p.getName())).findFirst().orElseThrow();
        assertThat(headlessCluster.getPort()).isEqualTo(5701);
        assertThat(headlessCluster.getTargetPort().getStrVal()).isEqualTo("cluster");
        assertThat(services.get("media-sluice").getSpec().getPorts()).extracting(ServicePort::getName)
                .as("the client-facing Service does not expose the cluster port").containsExactly("http");

        ServiceAccount account = ofType(objects, ServiceAccount.class).get(0);
        assertThat(account.getMetadata().getName()).isEqualTo("media-sluice");
        assertThat(account.getMetadata().getLabels()).isEqualTo(labels);
        assertThat(pod.getServiceAccountName()).isEqualTo("media-sluice");
        assertThat(pod.getAutomountServiceAccountToken()).as("Hazelcast reads the Kubernetes API").isTrue();

        assertThat(ofType(objects, ClusterRole.class)).as("nothing cluster-wide").isEmpty();
        Role role = ofType(objects, Role.class).get(0);
        assertThat(role.getMetadata().getName()).isEqualTo("media-sluice-cluster");
        assertThat(role.getMetadata().getLabels()).isEqualTo(labels);
        List<PolicyRule> rules = role.getRules();
        assertThat(rules).extracting(r -> String.join(",", r.getApiGroups()) + "/" + String.join(",", r.getResources())
                        + " " + String.join(",", r.getVerbs()) + " " + r.getResourceNames())
                .containsExactlyInAnyOrder(
                        "discovery.k8s.io/endpointslices list []",
                        "/endpoints get [media-sluice-headless]",
                        "/pods get [media-sluice-0, media-sluice-1]");
        assertThat(rules).allSatisfy(r -> assertThat(r.getVerbs()).doesNotContain("watch", "create", "update",
                "patch", "delete", "*"));

        RoleBinding binding = ofType(objects, RoleBinding.class).get(0);
        assertThat(binding.getMetadata().getLabels()).isEqualTo(labels);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo("media-sluice-cluster");
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo("media-sluice");
            assertThat(s.getNamespace()).isEqualTo("rtc");
        });
    }

    @Test
    void podNamesInThePublicUrlTemplate() throws Exception {
        Container c = sluice(ofType(render(t -> t.set("replicas", 3)
                .set("cluster.publicUrlTemplate", "https://{pod}.media.example.org")), StatefulSet.class).get(0));
        assertThat(env(c).get("SLUICE_CLUSTER_PER_POD_PUBLIC_URLS").getValue()).isEqualTo(
                "https://media-sluice-0.media.example.org https://media-sluice-1.media.example.org"
                        + " https://media-sluice-2.media.example.org");
        assertThat(startScript(c, "media-sluice-2")).isEqualTo("media=$(HOST_IP) url=https://media-sluice-2.media.example.org");
    }

    @Test
    void withTheClusterOffNothingOfItIsRendered() {
        List<HasMetadata> objects = render(t -> t.set("cluster.enabled", false));
        StatefulSet set = ofType(objects, StatefulSet.class).get(0);
        PodSpec pod = set.getSpec().getTemplate().getSpec();
        Container c = sluice(set);

        assertThat(ofType(objects, ServiceAccount.class)).isEmpty();
        assertThat(ofType(objects, Role.class)).isEmpty();
        assertThat(ofType(objects, RoleBinding.class)).isEmpty();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getServiceAccountName()).isNull();
        assertThat(c.getEnv()).extracting(EnvVar::getName)
                .noneMatch(n -> n.startsWith("SLUICE_CLUSTER_") || n.startsWith("HAZELCAST_"));
        assertThat(c.getPorts()).extracting(ContainerPort::getName).doesNotContain("cluster");
        assertThat(c.getCommand()).as("the image's entrypoint, no start script").isNullOrEmpty();
        assertThat(ofType(objects, Service.class)).allSatisfy(s -> assertThat(s.getSpec().getPorts())
                .extracting(ServicePort::getName).doesNotContain("cluster"));
    }

    @Test
    void publicUrlsThatCannotWorkAreRefused(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> render(t -> t.set("auth.existingSecret", "s")))
                .hasMessageContaining("cluster.enabled with 2 replicas needs each pod's public URL")
                .hasMessageContaining("cluster.publicUrlTemplate")
                .hasMessageContaining("cluster.enabled=false");
        assertThatThrownBy(() -> render(t -> t.set("cluster.publicUrlTemplate", "https://media.example.org")))
                .hasMessageContaining("cluster.publicUrlTemplate needs {ordinal} or {pod}");
        assertThatThrownBy(() -> render(t -> t.set("cluster.publicUrlTemplate", "https://media.example.org/{pod}")))
                .hasMessageContaining("\"https://media.example.org/media-sluice-0\" is not an http(s) origin");
        assertThatThrownBy(() -> render(t -> t.set("cluster.publicUrlTemplate", "sluice-{ordinal}.example.org")))
                .hasMessageContaining("is not an http(s) origin");
        Path short1 = valuesFile(dir, """
                cluster:
                  perPodPublicUrls: [https://a.example.org]
                """);
        assertThatThrownBy(() -> render(t -> t.withValuesFile(short1)))
                .hasMessageContaining("cluster.perPodPublicUrls has 1 entries for 2 replicas");
        Path same = valuesFile(dir, """
                cluster:
                  perPodPublicUrls: [https://a.example.org, https://a.example.org]
                """);
        assertThatThrownBy(() -> render(t -> t.withValuesFile(same)))
                .hasMessageContaining("two pods have the same public URL");
        Path both = valuesFile(dir, """
                cluster:
                  publicUrlTemplate: https://sluice-{ordinal}.example.org
                  perPodPublicUrls: [https://a.example.org, https://b.example.org]
                """);
        assertThatThrownBy(() -> render(t -> t.withValuesFile(both)))
                .hasMessageContaining("not both");
    }
}
