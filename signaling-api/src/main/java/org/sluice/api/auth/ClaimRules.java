package org.sluice.api.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * Claims a token must carry besides Sluice's own: the issuer ({@code iss}) and an audience ({@code aud}, a string or
 * an array of strings), each checked only when configured. Tokens from an identity provider usually carry both.
 */
public record ClaimRules(Optional<String> issuer, Optional<String> audience) {

    /** No issuer or audience required. */
    public static final ClaimRules NONE = new ClaimRules(Optional.empty(), Optional.empty());

    /** True if {@code claims} name the required issuer and audience. */
    boolean accepts(JsonObject claims) {
        if (issuer.isPresent() && !issuer.get().equals(claims.getValue("iss"))) {
            return false;
        }
        if (audience.isEmpty()) {
            return true;
        }
        Object aud = claims.getValue("aud");
        if (aud instanceof String single) {
            return single.equals(audience.get());
        }
        if (aud instanceof JsonArray many) {
            return many.contains(audience.get());
        }
        return false;
    }
}
