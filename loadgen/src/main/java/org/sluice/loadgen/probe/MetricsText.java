package org.sluice.loadgen.probe;

/**
 * Reads values from the Prometheus text format: the sum or the maximum of every sample of one metric
 * name, whatever its labels. Lines that do not parse are skipped.
 */
public final class MetricsText {

    private final String text;

    public MetricsText(String text) {
        this.text = text == null ? "" : text;
    }

    /** Sum over all samples named {@code name}; 0 when there are none. */
    public double sum(String name) {
        double sum = 0;
        for (String line : text.split("\n")) {
            double v = value(line, name);
            if (!Double.isNaN(v)) {
                sum += v;
            }
        }
        return sum;
    }

    /** Maximum over all samples named {@code name}; NaN when there are none. */
    public double max(String name) {
        double max = Double.NaN;
        for (String line : text.split("\n")) {
            double v = value(line, name);
            if (!Double.isNaN(v) && (Double.isNaN(max) || v > max)) {
                max = v;
            }
        }
        return max;
    }

    private static double value(String line, String name) {
        if (!line.startsWith(name) || line.length() == name.length()) {
            return Double.NaN;
        }
        char next = line.charAt(name.length());
        int valueStart;
        if (next == '{') {
            int close = line.lastIndexOf('}');
            if (close < 0) {
                return Double.NaN;
            }
            valueStart = close + 1;
        } else if (next == ' ') {
            valueStart = name.length();
        } else {
            return Double.NaN;
        }
        String[] parts = line.substring(valueStart).trim().split("\\s+");
        try {
            return Double.parseDouble(parts[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
