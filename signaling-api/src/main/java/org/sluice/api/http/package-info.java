/**
 * The HTTP face of the server on Vert.x Web: WHIP (RFC 9725) and WHEP endpoints and session
 * resources, CORS, health checks, error responses and the static demo pages.
 */
package org.sluice.api.http;
