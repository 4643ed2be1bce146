package org.sluice.api.media;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One read of the server's {@code GET /metrics} (Prometheus text format): each sample line's value by its
 * name with labels, e.g. {@code sluice_packets_dropped_total{reason="unknown_sender"}}.
 */
public final class PrometheusScrape {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, Double> samples;

    private PrometheusScrape(Map<String, Double> samples) {
        this.samples = samples;
    }

    /** Scrapes {@code origin + "/metrics"}; fails on anything but 200. */
    public static PrometheusScrape of(String origin) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(origin + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /metrics: " + response.statusCode());
        }
        return parse(response.body());
    }

    static PrometheusScrape parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            try {
                samples.put(line.substring(0, space).strip(), Double.parseDouble(line.substring(space + 1).strip()));
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return new PrometheusScrape(samples);
    }

    /** Whether any sample of the metric {@code name} (with any labels) exists. */
    public boolean has(String name) {
        return samples.keySet().stream().anyMatch(key -> key.equals(name) || key.startsWith(name + "{"));
    }

    /** The sum over all label sets of {@code name}; 0 when absent. */
    public double sum(String name) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** The sum over the label sets of {@code name} that contain {@code label} (such as {@code direction="in"}). */
    public double sum(String name, String label) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().startsWith(name + "{") && e.getKey().contains(label))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** The samples whose name starts with {@code prefix}, for messages. */
    public Map<String, Double> startingWith(String prefix) {
        Map<String, Double> out = new LinkedHashMap<>();
        samples.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                out.put(key, value);
            }
        });
        return out;
    }
}
