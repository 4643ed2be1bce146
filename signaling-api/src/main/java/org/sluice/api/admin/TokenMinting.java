package org.sluice.api.admin;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.sluice.api.auth.TokenIssuer;

/** {@code POST /api/tokens}: mints a token with the server's secret; 409 {@code no_secret} when there is none. */
final class TokenMinting {

    private final Optional<TokenIssuer> issuer;

    TokenMinting(Optional<TokenIssuer> issuer) {
        this.issuer = issuer;
    }

    void mint(RoutingContext ctx) {
        if (issuer.isEmpty()) {
            ApiResponses.error(ctx, 409, "no_secret",
                    "no auth.secret is configured: every request is allowed, tokens are not needed without auth.secret");
            return;
        }
        JsonObject body = JsonBody.read(ctx);
        if (body == null) {
            return;
        }
        Validated<TokenRequest> request = TokenRequest.parse(body);
        if (!request.isValid()) {
            ApiResponses.error(ctx, 400, "invalid", request.invalidReason());
            return;
        }
        TokenRequest wanted = request.value();
        TokenIssuer.IssuedToken token = issuer.get().mint(wanted.grant(), wanted.ttl(), wanted.name());
        ApiResponses.json(ctx, 200, new JsonObject()
                .put("token", token.token())
                .put("expiresAt", token.expiresAt().toString()));
    }
}
