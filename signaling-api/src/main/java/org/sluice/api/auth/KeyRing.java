package org.sluice.api.auth;

import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys tokens may be signed with: fixed keys (secrets and PEM files, read at start) and the latest keys of
 * each JWKS source, which a refresher {@link #replace replaces}. Readers take an immutable {@link Snapshot}: a
 * vertx-auth-jwt {@link JWTAuth} over every current key, so rotation is adding the new key, then removing the
 * old one once its tokens have expired. Thread-safe.
 */
public final class KeyRing {

    private final List<VerificationKey> fixedKeys;
    private final Map<String, List<VerificationKey>> sourceKeys = new LinkedHashMap<>();
    private volatile Snapshot current;

    public KeyRing(List<VerificationKey> fixedKeys) {
        this.fixedKeys = List.copyOf(fixedKeys);
        this.current = build(this.fixedKeys);
    }

    /** A ring with one kid-less HS256 secret. */
    public static KeyRing ofSecret(String secret) {
        return new KeyRing(List.of(VerificationKey.hs256(null, secret)));
    }

    /** Sets the keys last read from {@code source} (a JWKS file or URL), replacing what it had before. */
    public synchronized void replace(String source, List<VerificationKey> keys) {
        sourceKeys.put(source, List.copyOf(keys));
        List<VerificationKey> all = new ArrayList<>(fixedKeys);
        sourceKeys.values().forEach(all::addAll);
        current = build(all);
    }

    /** The keys in force now. */
    public Snapshot current() {
        return current;
    }

    private static Snapshot build(List<VerificationKey> keys) {
        // Expiry and not-before are checked against the server's injected clock, not vertx-auth's system clock.
        JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions().setIgnoreExpiration(true));
        Set<String> algorithms = new TreeSet<>();
        for (VerificationKey key : keys) {
            options.addJwk(key.jwk());
            algorithms.add(key.algorithm());
        }
        // JWTAuth uses its Vertx only to read a key store file; keys here come as JWKs.
        JWTAuth auth = JWTAuth.create(null, options);
        return new Snapshot(auth, Collections.unmodifiableSet(algorithms), List.copyOf(keys));
    }

    /**
     * The keys at one moment.
     *
     * @param auth       verifies signatures over these keys
     * @param algorithms the algorithms of these keys
     * @param keys       the keys themselves
     */
    public record Snapshot(JWTAuth auth, Set<String> algorithms, List<VerificationKey> keys) {
    }
}
