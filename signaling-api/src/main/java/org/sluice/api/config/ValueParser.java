package org.sluice.api.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sluice.api.config.ConfigLoader.SourcedValue;
import org.sluice.core.session.IceServer;

/** Turns raw configuration strings into typed values, or a one-line {@link ConfigException}. */
final class ValueParser {

    private static final Pattern HOSTNAME =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private final Map<ConfigKey, SourcedValue> values;

    ValueParser(Map<ConfigKey, SourcedValue> values) {
        this.values = values;
    }

    Optional<String> optionalString(ConfigKey key) {
        SourcedValue v = values.get(key);
        if (v == null || v.value().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(v.value());
    }

    int port(ConfigKey key, int defaultValue, boolean zeroAllowed) throws ConfigException {
        return intInRange(key, defaultValue, zeroAllowed ? 0 : 1, 65535);
    }

    int intInRange(ConfigKey key, int defaultValue, int min, int max) throws ConfigException {
        SourcedValue v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(v.value().strip());
        } catch (NumberFormatException e) {
            throw invalid(v, WHOLE_NUMBER.matcher(v.value().strip()).matches()
                    ? "must be between " + min + " and " + max : "is not a whole number");
        }
        if (parsed < min || parsed > max) {
            throw invalid(v, "must be between " + min + " and " + max);
        }
        return parsed;
    }

    String host(ConfigKey key, String defaultValue) throws ConfigException {
        SourcedValue v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        return checkedHost(v, v.value().strip());
    }

    List<String> hostList(ConfigKey key, List<String> defaultValue) throws ConfigException {
        SourcedValue v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        List<String> hosts = new ArrayList<>();
        for (String part : v.value().split(",", -1)) {
            hosts.add(checkedHost(v, part.strip()));
        }
        return hosts;
    }

    Duration duration(ConfigKey key, Duration defaultValue) throws ConfigException {
        SourcedValue v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        Duration parsed = parseDuration(v);
        if (parsed.isNegative() || parsed.isZero() || parsed.compareTo(Duration.ofMinutes(5)) > 0) {
            throw invalid(v, "must be more than 0 and at most 5 minutes");
        }
        return parsed;
    }

    /** A duration from 0 (off) to {@code max}. */
    Duration durationUpTo(ConfigKey key, Duration defaultValue, Duration max) throws ConfigException {
        SourcedValue v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        Duration parsed = parseDuration(v);
        if (parsed.isNegative() || parsed.compareTo(max) > 0) {
            throw invalid(v, "must be from 0 to " + max.toMillis() + "ms");
        }
        return parsed;
    }

    private Duration parseDuration(SourcedValue v) throws ConfigException {
        String text = v.value().strip();
        Duration parsed;
        Matcher m = SIMPLE_DURATION.matcher(text);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            parsed = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMinutes(amount);
            };
        } else {
            try {
                parsed = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw invalid(v, "is not a duration (use e.g. 10s, 500ms or PT10S)");
            }
        }
        return parsed;
    }

    List<IceServer> iceServers(ConfigKey key) throws ConfigException {
        SourcedValue v = values.get(key);
        if (v == null || v.value().isBlank()) {
            return List.of();
        }
        List<IceServer> servers = new ArrayList<>();
        for (String entry : v.value().split(",", -1)) {
            String[] parts = entry.strip().split("\\|", -1);
            String url = parts[0].strip();
            if (!(url.startsWith("stun:") || url.startsWith("stuns:") || url.startsWith("turn:")
                    || url.startsWith("turns:")) || url.length() < 7 || url.contains(">") || url.contains(" ")) {
                throw invalid(v, "has '" + url + "', which is not a stun:, stuns:, turn: or turns: URL");
            }
            if (parts.length == 1) {
                servers.add(new IceServer(url, null, null));
            } else if (parts.length == 3) {
                if (parts[1].contains("\"") || parts[2].contains("\"")) {
                    throw invalid(v, "has a username or credential with a double quote");
                }
                servers.add(new IceServer(url, parts[1], parts[2]));
            } else {
                throw invalid(v, "has '" + entry.strip() + "'; write url or url|username|credential");
            }
        }
        return servers;
    }

    boolean bool(ConfigKey key, boolean defaultValue) throws ConfigException {
        SourcedValue v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.value().strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw invalid(v, "is not true or false");
        };
    }

    /** {@code name=value,name=value}; a name must be 1-64 of [A-Za-z0-9._-] unless {@code nameOptional} lets a bare value through (name ""). */
    Map<String, String> namedValues(ConfigKey key, boolean nameOptional) throws ConfigException {
        SourcedValue v = values.get(key);
        Map<String, String> named = new java.util.LinkedHashMap<>();
        if (v == null || v.value().isBlank()) {
            return named;
        }
        for (String entry : v.value().split(",", -1)) {
            String part = entry.strip();
            int eq = part.indexOf('=');
            String name = eq < 0 ? "" : part.substring(0, eq).strip();
            String value = eq < 0 ? part : part.substring(eq + 1).strip();
            if (name.isEmpty() && !nameOptional) {
                throw invalid(v, "has an entry without a name; write name=value");
            }
            if (!name.isEmpty() && !KEY_ID.matcher(name).matches()) {
                throw invalid(v, "has the name '" + name + "'; names are 1-64 of A-Z a-z 0-9 . _ -");
            }
            if (value.isEmpty()) {
                throw invalid(v, "has an empty value for '" + name + "'");
            }
            if (named.put(name, value) != null) {
                throw invalid(v, "names '" + name + "' twice");
            }
        }
        return named;
    }

    List<String> stringList(ConfigKey key) throws ConfigException {
        SourcedValue v = values.get(key);
        List<String> list = new ArrayList<>();
        if (v == null || v.value().isBlank()) {
            return list;
        }
        for (String part : v.value().split(",", -1)) {
            if (part.isBlank()) {
                throw invalid(v, "has an empty entry");
            }
            list.add(part.strip());
        }
        return list;
    }

    String oneOf(ConfigKey key, String defaultValue, List<String> allowed) throws ConfigException {
        SourcedValue v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        String upper = v.value().strip().toUpperCase(java.util.Locale.ROOT);
        if (!allowed.contains(upper)) {
            throw invalid(v, "must be one of " + String.join(", ", allowed).toLowerCase(java.util.Locale.ROOT));
        }
        return upper;
    }

    /** The raw value and its origin, for checks the parser does not know. */
    SourcedValue raw(ConfigKey key) {
        return values.get(key);
    }

    static ConfigException invalidValue(SourcedValue v, String problem) {
        return invalid(v, problem);
    }

    private static String checkedHost(SourcedValue v, String host) throws ConfigException {
        if (host.isEmpty()) {
            throw invalid(v, "has an empty address");
        }
        Matcher ipv4 = IPV4.matcher(host);
        if (ipv4.matches()) {
            for (int g = 1; g <= 4; g++) {
                if (Integer.parseInt(ipv4.group(g)) > 255) {
                    throw invalid(v, "has '" + host + "', which is not an IPv4 address");
                }
            }
            return host;
        }
        boolean valid = host.contains(":")
                ? IPV6.matcher(host).matches()
                : HOSTNAME.matcher(host).matches() && !host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
        if (valid) {
            return host;
        }
        throw invalid(v, "has '" + host + "', which is not an address or host name");
    }

    private static ConfigException invalid(SourcedValue v, String problem) {
        return new ConfigException(v.origin() + " " + problem + " (got '" + abbreviate(v.value()) + "')");
    }

    private static String abbreviate(String value) {
        String oneLine = value.replaceAll("[\\r\\n]", " ");
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
    }
}
