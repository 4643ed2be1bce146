package org.sluice.api.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Token verification keys and rules beyond the signing secret {@code auth.secret}: its key id, further named
 * HS256 secrets, PEM public keys, JWKS files and URLs, the issuer and audience a token must name, and whether
 * {@code /metrics} needs a token. See {@code docs/configuration.md}.
 *
 * @param secretId            the {@code kid} of {@code auth.secret}, written in issued tokens; empty for none
 * @param hs256Secrets        further HS256 secrets by key id, accepted but never used to sign
 * @param publicKeyFiles      PEM public key files (RSA: RS256, P-256: ES256) by key id ({@code ""}: no kid)
 * @param jwksSources         JWKS files or {@code http(s)://} URLs, re-read every {@code jwksRefresh}
 * @param jwksRefresh         how often JWKS sources are re-read
 * @param issuer              the {@code iss} a token must carry, if any
 * @param audience            an {@code aud} a token must carry, if any
 * @param metricsRequireToken whether {@code GET /metrics} needs a token with {@code admin: true}
 */
public record AuthSettings(
        Optional<String> secretId,
        Map<String, String> hs256Secrets,
        Map<String, Path> publicKeyFiles,
        List<String> jwksSources,
        Duration jwksRefresh,
        Optional<String> issuer,
        Optional<String> audience,
        boolean metricsRequireToken) {

    /** How often JWKS sources are re-read when not configured. */
    public static final Duration DEFAULT_JWKS_REFRESH = Duration.ofMinutes(5);

    /** No keys beyond {@code auth.secret}, no rules. */
    public static final AuthSettings NONE = new AuthSettings(Optional.empty(), Map.of(), Map.of(), List.of(),
            DEFAULT_JWKS_REFRESH, Optional.empty(), Optional.empty(), false);

    public AuthSettings {
        Objects.requireNonNull(secretId, "secretId");
        hs256Secrets = Map.copyOf(hs256Secrets);
        publicKeyFiles = Map.copyOf(publicKeyFiles);
        jwksSources = List.copyOf(jwksSources);
        Objects.requireNonNull(jwksRefresh, "jwksRefresh");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
    }

    /** True if any verification key besides {@code auth.secret} is configured. */
    public boolean hasKeys() {
        return !hs256Secrets.isEmpty() || !publicKeyFiles.isEmpty() || !jwksSources.isEmpty();
    }

    /** The same settings with {@code /metrics} protected or not. */
    public AuthSettings withMetricsRequireToken(boolean required) {
        return new AuthSettings(secretId, hs256Secrets, publicKeyFiles, jwksSources, jwksRefresh, issuer, audience,
                required);
    }

    /** The same settings with these JWKS sources. */
    public AuthSettings withJwksSources(List<String> sources, Duration refresh) {
        return new AuthSettings(secretId, hs256Secrets, publicKeyFiles, sources, refresh, issuer, audience,
                metricsRequireToken);
    }

    @Override
    public String toString() {
        return "AuthSettings[secretId=" + secretId.orElse("-") + ", hs256Secrets=" + hs256Secrets.keySet()
                + ", publicKeyFiles=" + publicKeyFiles.keySet() + ", jwksSources=" + jwksSources.size()
                + ", jwksRefresh=" + jwksRefresh + ", issuer=" + issuer.orElse("-") + ", audience="
                + audience.orElse("-") + ", metricsRequireToken=" + metricsRequireToken + "]";
    }
}
