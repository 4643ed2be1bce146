/**
 * Bearer-token authentication through vertx-auth-jwt: the keys tokens may be signed with
 * ({@link org.sluice.api.auth.KeyRing} of {@link org.sluice.api.auth.VerificationKey}s from secrets, PEM files
 * and JWKS files or URLs, kept current by {@link org.sluice.api.auth.JwksRefresher}), verification
 * ({@link org.sluice.api.auth.JwtVerifier}), the grant a token carries ({@link org.sluice.api.auth.Grant}), the
 * access decision for a request or admin-API use ({@link org.sluice.api.auth.AccessControl}), the configured whole
 * ({@link org.sluice.api.auth.Authentication}) and a {@link org.sluice.api.auth.TokenIssuer}.
 */
package org.sluice.api.auth;
