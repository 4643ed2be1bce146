package org.sluice.api.http;

import io.vertx.core.http.HttpServerResponse;

/** CORS headers: any origin, the request headers WHIP/WHEP clients send, the headers they must read. */
public final class Cors {

    static final String ALLOW_HEADERS = "Authorization, Content-Type, If-Match";
    static final String EXPOSE_HEADERS = "Location, ETag, Link, Accept-Patch";

    private Cors() {
    }

    /** Headers for every response. */
    static void addResponseHeaders(HttpServerResponse response) {
        response.putHeader("Access-Control-Allow-Origin", "*")
                .putHeader("Access-Control-Expose-Headers", EXPOSE_HEADERS);
    }

    /** Headers for an OPTIONS (preflight or not) on a resource allowing {@code allowedMethods}. */
    public static void addPreflightHeaders(HttpServerResponse response, String allowedMethods) {
        response.putHeader("Access-Control-Allow-Methods", allowedMethods)
                .putHeader("Access-Control-Allow-Headers", ALLOW_HEADERS)
                .putHeader("Access-Control-Max-Age", "86400");
    }
}
