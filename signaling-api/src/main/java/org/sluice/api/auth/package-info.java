/**
 * Bearer-token authentication: HS256 JWT verification ({@link org.sluice.api.auth.JwtVerifier}),
 * the grant a token carries ({@link org.sluice.api.auth.Grant}), the access decision for a request
 * or admin-API use ({@link org.sluice.api.auth.AccessControl}) and a {@link org.sluice.api.auth.TokenIssuer}.
 */
package org.sluice.api.auth;
