package org.sluice.api.container;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Pod 0 of a StatefulSet rendered by {@code helm template}, as {@code podman kube play} (podman 4.3, Debian 12's)
 * can run it in a test's network namespace. Every change from what the StatefulSet controller and the kubelet
 * would make of the rendered manifest is made here, for a podman limit, and listed in {@link #adaptations()}:
 * <ul>
 *   <li>a Pod, not a StatefulSet: kube play plays Pods and Deployments only. The Pod is what the controller
 *       makes: named {@code <statefulset>-0}, the template's labels plus {@code statefulset.kubernetes.io/pod-name}.
 *   <li>the downward API: kube play resolves {@code metadata.name}, {@code metadata.uid} and label and annotation
 *       fields only. {@code status.hostIP} and {@code status.podIP} become the node's address (the pod shares the
 *       node's network here, see below), {@code metadata.namespace} the release's namespace.
 *   <li>{@code $(VAR)} references in env values: kube play passes them on literally; they are expanded here with
 *       the kubelet's rules (earlier variables only, {@code $$} escapes, unknown names left alone).
 *   <li>no {@code ports}: kube play turns every containerPort into a host port mapping, which podman allows only
 *       on a bridge or slirp4netns network, and a pod cannot join a network namespace by path there; so the pod
 *       runs with {@code --network host}, which for podman run inside the test's namespace is that namespace: the
 *       node's network. A hostPort maps the node's port to the same number in the pod; here the pod's port is the
 *       node's port, the same address and number for a client.
 *   <li>no probes: kube play ignores startup and readiness probes and turns the liveness probe into a
 *       {@code curl} health check inside the container (no curl in the image) on the port's number (a named port
 *       becomes 0). The test probes instead, as the kubelet does: {@link #probe(String)} gives path and port.
 * </ul>
 * Left as rendered, and ignored by kube play: {@code terminationGracePeriodSeconds} and the preStop hook (the test
 * stops the pod as the kubelet would: {@link #preStopCommand()}, then SIGTERM with {@link #gracePeriodSeconds()}),
 * {@code runAsNonRoot}, {@code fsGroup}, {@code seccompProfile}, the emptyDir's {@code sizeLimit}, the service account. A {@code secretKeyRef} needs a
 * podman secret of that name: {@link #secretKeyRefs()} lists them for the test to create.
 */
public final class KubePlayPod {

    /** An HTTP probe with its port resolved to a number. */
    public record HttpProbe(String path, int port) {
    }

    /** A Secret key the pod reads. */
    public record SecretKeyRef(String secret, String key) {
    }

    private final String name;
    private final String containerName;
    private final Map<String, Object> pod;
    private final List<Map<String, Object>> configMaps;
    private final List<String> adaptations = new ArrayList<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, HttpProbe> probes = new LinkedHashMap<>();
    private final List<SecretKeyRef> secretKeyRefs = new ArrayList<>();
    private final long gracePeriodSeconds;
    private final List<String> preStopCommand;

    private KubePlayPod(Map<String, Object> statefulSet, List<Map<String, Object>> configMaps, String namespace,
            String nodeAddress) {
        this.configMaps = configMaps;
        Map<String, Object> template = map(map(statefulSet, "spec"), "template");
        Map<String, Object> spec = deepCopy(map(template, "spec"));
        name = string(map(statefulSet, "metadata"), "name") + "-0";

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        Map<String, Object> labels = new LinkedHashMap<>(map(map(template, "metadata"), "labels"));
        labels.put("statefulset.kubernetes.io/pod-name", name);
        metadata.put("labels", labels);
        Object annotations = map(template, "metadata").get("annotations");
        if (annotations != null) {
            metadata.put("annotations", annotations);
        }
        adaptations.add("kind Pod named " + name + " (pod 0 of StatefulSet " + string(map(statefulSet, "metadata"),
                "name") + "): kube play plays no StatefulSet");

        Object grace = spec.get("terminationGracePeriodSeconds");
        gracePeriodSeconds = grace == null ? 30 : ((Number) grace).longValue();

        List<Map<String, Object>> containers = list(spec, "containers");
        if (containers.size() != 1) {
            throw new IllegalArgumentException("expected one container, the chart renders " + containers.size());
        }
        Map<String, Object> container = containers.get(0);
        containerName = string(container, "name");
        List<Map<String, Object>> containerPorts = list(container, "ports");
        for (Map<String, Object> port : containerPorts) {
            ports.put(string(port, "name"), ((Number) port.get("containerPort")).intValue());
        }
        if (container.remove("ports") != null) {
            adaptations.add("container ports " + ports + " removed: the pod runs in the node's network (--network host),"
                    + " where podman allows no port mapping");
        }
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            Object removed = container.remove(probe);
            if (removed != null) {
                probes.put(probe, httpProbe(cast(removed)));
                adaptations.add(probe + " removed: the test probes " + probes.get(probe) + " as the kubelet would");
            }
        }
        Map<String, String> env = adaptEnv(list(container, "env"), namespace, nodeAddress);
        for (String field : List.of("command", "args")) {
            List<Object> words = list(container, field);
            // (the kubelet expands command and args too)
            for (int i = 0; i < words.size(); i++) {
                String word = String.valueOf(words.get(i));
                String expanded = expand(word, env);
                if (!expanded.equals(word)) {
                    words.set(i, expanded);
                    adaptations.add(field + ": " + word + " expanded to " + expanded + " (kube play does not expand $(VAR))");
                }
            }
        }
        preStopCommand = preStop(container);

        pod = new LinkedHashMap<>();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        pod.put("metadata", metadata);
        pod.put("spec", spec);
    }

    /**
     * Pod 0 of the one StatefulSet in {@code renderedYaml}, adapted for kube play; {@code nodeAddress} is the address
     * the kubelet would give as the node's (and, in the node's network, the pod's) IP.
     */
    public static KubePlayPod fromRendered(String renderedYaml, String namespace, String nodeAddress) {
        List<Map<String, Object>> statefulSets = new ArrayList<>();
        List<Map<String, Object>> configMaps = new ArrayList<>();
        for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(renderedYaml)) {
            if (document instanceof Map<?, ?> object) {
                Map<String, Object> manifest = cast(object);
                if ("StatefulSet".equals(manifest.get("kind"))) {
                    statefulSets.add(manifest);
                } else if ("ConfigMap".equals(manifest.get("kind"))) {
                    configMaps.add(manifest);
                }
            }
        }
        if (statefulSets.size() != 1) {
            throw new IllegalArgumentException("expected one StatefulSet, the chart renders " + statefulSets.size());
        }
        return new KubePlayPod(statefulSets.get(0), configMaps, namespace, nodeAddress);
    }

    /** The manifest for {@code podman kube play}: the chart's ConfigMaps (if any) and the Pod, as JSON (YAML 1.2). */
    public String manifest() {
        StringBuilder out = new StringBuilder();
        for (Map<String, Object> configMap : configMaps) {
            out.append(new JsonObject(configMap).encodePrettily()).append("\n---\n");
        }
        return out.append(new JsonObject(pod).encodePrettily()).append('\n').toString();
    }

    /** The pod's name. */
    public String name() {
        return name;
    }

    /** The container's name as podman names it: {@code <pod>-<container>}. */
    public String podmanContainerName() {
        return name + "-" + containerName;
    }

    /** What was changed for kube play, one line each. */
    public List<String> adaptations() {
        return List.copyOf(adaptations);
    }

    /** The rendered container port of that name. */
    public int port(String portName) {
        return Objects.requireNonNull(ports.get(portName), () -> "no container port " + portName + " in " + ports);
    }

    /** The rendered probe ({@code startupProbe}, {@code livenessProbe}, {@code readinessProbe}). */
    public HttpProbe probe(String probe) {
        return Objects.requireNonNull(probes.get(probe), () -> "no " + probe + " rendered");
    }

    /** The Secret keys the container's environment reads. */
    public List<SecretKeyRef> secretKeyRefs() {
        return List.copyOf(secretKeyRefs);
    }

    /** The rendered {@code terminationGracePeriodSeconds} (Kubernetes' default, 30, when absent). */
    public long gracePeriodSeconds() {
        return gracePeriodSeconds;
    }

    /** The rendered preStop exec command, empty when there is none. */
    public List<String> preStopCommand() {
        return preStopCommand;
    }

    /** Adapts the env entries in place; returns the variables whose values are known here (not the secrets'). */
    private Map<String, String> adaptEnv(List<Map<String, Object>> env, String namespace, String nodeAddress) {
        Map<String, String> known = new LinkedHashMap<>();
        for (Map<String, Object> variable : env) {
            String variableName = string(variable, "name");
            Map<String, Object> valueFrom = cast(variable.get("valueFrom"));
            if (valueFrom != null && valueFrom.get("fieldRef") != null) {
                String path = string(map(valueFrom, "fieldRef"), "fieldPath");
                String value = switch (path) {
                    case "metadata.name" -> name; // kube play gives this itself
                    case "status.hostIP", "status.podIP" -> nodeAddress;
                    case "metadata.namespace" -> namespace;
                    default -> throw new IllegalArgumentException(
                            "no kube play adaptation for the downward API field " + path + " (" + variableName + ")");
                };
                if (!path.equals("metadata.name")) {
                    variable.remove("valueFrom");
                    variable.put("value", value);
                    adaptations.add("env " + variableName + ": " + path + " is " + value
                            + " (kube play does not resolve " + path + ")");
                }
                known.put(variableName, value);
            } else if (valueFrom != null && valueFrom.get("secretKeyRef") != null) {
                Map<String, Object> ref = map(valueFrom, "secretKeyRef");
                secretKeyRefs.add(new SecretKeyRef(string(ref, "name"), string(ref, "key")));
                known.put(variableName, null);
            } else if (valueFrom == null) {
                String value = String.valueOf(variable.getOrDefault("value", ""));
                String expanded = expand(value, known);
                if (!expanded.equals(value)) {
                    variable.put("value", expanded);
                    adaptations.add("env " + variableName + ": " + value + " expanded to " + expanded
                            + " (kube play does not expand $(VAR))");
                }
                known.put(variableName, expanded);
            } else {
                throw new IllegalArgumentException("no kube play adaptation for env " + variableName + ": " + valueFrom);
            }
        }
        return known;
    }

    /**
     * Kubernetes' expansion of {@code $(VAR)}: {@code $$} is {@code $}, names not in {@code known} stay as they are;
     * a name in it without a value (a secret's, which the test does not read) cannot be expanded here.
     */
    static String expand(String value, Map<String, String> known) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '$' && i + 1 < value.length()) {
                char next = value.charAt(i + 1);
                if (next == '$') {
                    out.append('$');
                    i += 2;
                    continue;
                }
                int close = value.indexOf(')', i + 2);
                if (next == '(' && close > 0) {
                    String reference = value.substring(i + 2, close);
                    if (known.containsKey(reference) && known.get(reference) == null) {
                        throw new IllegalArgumentException("$(" + reference + ") refers to a secret's value: " + value);
                    }
                    out.append(known.getOrDefault(reference, "$(" + reference + ")"));
                    i = close + 1;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private HttpProbe httpProbe(Map<String, Object> probe) {
        Map<String, Object> httpGet = cast(probe.get("httpGet"));
        if (httpGet == null) {
            throw new IllegalArgumentException("the test probes over HTTP only: " + probe);
        }
        Object port = httpGet.get("port");
        int number = port instanceof Number n ? n.intValue() : port(String.valueOf(port));
        return new HttpProbe(String.valueOf(httpGet.getOrDefault("path", "/")), number);
    }

    private static List<String> preStop(Map<String, Object> container) {
        Map<String, Object> lifecycle = cast(container.get("lifecycle"));
        Map<String, Object> preStop = lifecycle == null ? null : cast(lifecycle.get("preStop"));
        if (preStop == null) {
            return List.of();
        }
        Map<String, Object> exec = cast(preStop.get("exec"));
        if (exec == null) {
            throw new IllegalArgumentException("the test runs exec preStop hooks only: " + preStop);
        }
        return list(exec, "command").stream().map(String::valueOf).toList();
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return Objects.requireNonNull(cast(parent.get(key)), () -> "no " + key + " in " + parent.keySet());
    }

    private static <T> List<T> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value == null ? List.of() : cast(value);
    }

    private static String string(Map<String, Object> parent, String key) {
        return String.valueOf(Objects.requireNonNull(parent.get(key), () -> "no " + key + " in " + parent.keySet()));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    private static Map<String, Object> deepCopy(Map<String, Object> source) {
        Map<String, Object> copy = new LinkedHashMap<>();
        source.forEach((key, value) -> copy.put(key, deepCopyValue(value)));
        return copy;
    }

    private static Object deepCopyValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return deepCopy(cast(map));
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(deepCopyValue(item)));
            return copy;
        }
        return value;
    }
}
