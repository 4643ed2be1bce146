package org.sluice.api.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sluice.api.config.AuthSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token checking as configured: the {@link AccessControl} for requests, the {@link JwksRefresher} that keeps JWKS
 * keys current, and whether {@code /metrics} needs a token. {@link #load} reads every key file and JWKS once: a
 * bad key file or JWKS file stops the start with a {@link KeyFormatException}; a JWKS URL that cannot be reached
 * yet only logs, and its keys arrive with a later refresh.
 */
public final class Authentication {

    private static final Logger LOG = LoggerFactory.getLogger(Authentication.class);

    private final AccessControl access;
    private final JwksRefresher refresher;
    private final Duration refreshInterval;
    private final boolean metricsRequireToken;

    private Authentication(AccessControl access, JwksRefresher refresher, Duration refreshInterval,
            boolean metricsRequireToken) {
        this.access = access;
        this.refresher = refresher;
        this.refreshInterval = refreshInterval;
        this.metricsRequireToken = metricsRequireToken;
    }

    /** No authentication: every request allowed. */
    public static Authentication open() {
        return new Authentication(new OpenAccess(), new JwksRefresher(new KeyRing(List.of()), List.of(),
                new JwksLoader()), AuthSettings.DEFAULT_JWKS_REFRESH, false);
    }

    /**
     * @param secret   {@code auth.secret}: the HS256 secret issued tokens are signed with, if any
     * @param settings further keys and rules
     * @param clock    the clock tokens' lifetimes are checked against
     */
    public static Authentication load(Optional<String> secret, AuthSettings settings, Clock clock)
            throws KeyFormatException {
        if (secret.isEmpty() && !settings.hasKeys()) {
            return open();
        }
        List<VerificationKey> fixed = new ArrayList<>();
        String secretId = settings.secretId().orElse(null);
        secret.ifPresent(s -> fixed.add(VerificationKey.hs256(secretId, s)));
        for (Map.Entry<String, String> named : settings.hs256Secrets().entrySet()) {
            fixed.add(VerificationKey.hs256(named.getKey(), named.getValue()));
        }
        for (Map.Entry<String, Path> file : settings.publicKeyFiles().entrySet()) {
            String kid = file.getKey().isEmpty() ? null : file.getKey();
            fixed.add(PemPublicKeys.parse(kid, readPem(file.getValue()), "key file " + file.getValue()));
        }
        KeyRing ring = new KeyRing(fixed);
        JwksLoader loader = new JwksLoader();
        for (String source : settings.jwksSources()) {
            try {
                ring.replace(source, loader.load(source));
            } catch (KeyFormatException e) {
                if (!JwksLoader.isUrl(source)) {
                    throw e;
                }
                LOG.warn("no keys from {} yet (retried every {}): {}", source, settings.jwksRefresh(),
                        e.getMessage());
            }
        }
        LOG.info("token keys: {}", ring.current().keys().stream().map(VerificationKey::describe).toList());
        JwtVerifier verifier = new JwtVerifier(ring, clock, JwtVerifier.DEFAULT_LEEWAY,
                new ClaimRules(settings.issuer(), settings.audience()));
        TokenIssuer issuer = secret.map(s -> new TokenIssuer(secretId, s, clock)).orElse(null);
        return new Authentication(new BearerTokenAccess(verifier, issuer),
                new JwksRefresher(ring, settings.jwksSources(), loader), settings.jwksRefresh(),
                settings.metricsRequireToken());
    }

    private static String readPem(Path file) throws KeyFormatException {
        try {
            if (Files.size(file) > 64 * 1024) {
                throw new KeyFormatException("key file " + file + " is larger than 64 KiB");
            }
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new KeyFormatException("key file " + file + " does not exist");
        } catch (IOException | RuntimeException e) {
            throw new KeyFormatException("key file " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /** Who may do what. */
    public AccessControl access() {
        return access;
    }

    /** Keeps JWKS keys current; run {@link JwksRefresher#refreshAll()} every {@link #refreshInterval()}. */
    public JwksRefresher refresher() {
        return refresher;
    }

    public Duration refreshInterval() {
        return refreshInterval;
    }

    /** Whether {@code GET /metrics} needs a token with {@code admin: true}. */
    public boolean metricsRequireToken() {
        return metricsRequireToken;
    }
}
