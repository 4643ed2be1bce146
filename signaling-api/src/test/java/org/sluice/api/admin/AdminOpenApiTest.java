package org.sluice.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is valid 3.1 in shape and describes every route {@link AdminRoutes} serves, with its
 * methods, path parameters and responses; and the server serves exactly that document.
 */
class AdminOpenApiTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([A-Za-z]+)}");

    private final JsonObject doc = new JsonObject(OpenApiDocument.load().text());

    @Test
    void isOpenApi31WithInfoAndBearerScheme() {
        assertThat(doc.getString("openapi")).matches("3\\.1\\.\\d+");
        assertThat(doc.getJsonObject("info").getString("title")).isNotBlank();
        assertThat(doc.getJsonObject("info").getString("version")).isNotBlank();
        JsonObject bearer = doc.getJsonObject("components").getJsonObject("securitySchemes").getJsonObject("bearerAuth");
        assertThat(bearer.getString("type")).isEqualTo("http");
        assertThat(bearer.getString("scheme")).isEqualTo("bearer");
        assertThat(bearer.getString("bearerFormat")).isEqualTo("JWT");
    }

    @Test
    void everyServedRouteIsDocumentedWithItsMethodAndSecurity() {
        JsonObject paths = doc.getJsonObject("paths");
        assertThat(AdminRoutes.endpoints()).isNotEmpty();
        for (AdminEndpoint endpoint : AdminRoutes.endpoints()) {
            String what = endpoint.method() + " " + endpoint.path();
            assertThat(paths.containsKey(endpoint.path())).as(what).isTrue();
            JsonObject operation = paths.getJsonObject(endpoint.path())
                    .getJsonObject(endpoint.method().name().toLowerCase(Locale.ROOT));
            assertThat(operation).as(what).isNotNull();
            if (endpoint.adminOnly()) {
                assertThat(operation.getJsonArray("security").encode()).as(what).isEqualTo("[{\"bearerAuth\":[]}]");
                assertThat(operation.getJsonObject("responses").fieldNames()).as(what).contains("401", "403");
            } else {
                assertThat(operation.getJsonArray("security")).as(what).isEmpty();
            }
        }
    }

    @Test
    void documentedApiOperationsAreAllServed() {
        List<String> served = AdminRoutes.endpoints().stream()
                .map(e -> e.method().name().toLowerCase(Locale.ROOT) + " " + e.path()).toList();
        List<String> documented = new ArrayList<>();
        JsonObject paths = doc.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            if (path.startsWith("/api/")) {
                paths.getJsonObject(path).fieldNames().stream().filter(METHODS::contains)
                        .forEach(method -> documented.add(method + " " + path));
            }
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(served);
    }

    @Test
    void everyOperationHasResponsesAndItsPathParameters() {
        JsonObject paths = doc.getJsonObject("paths");
        assertThat(paths.fieldNames()).contains("/whip/{room}", "/whep/{room}", "/whip/{room}/{session}",
                "/whep/{room}/{session}", "/ws");
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            Set<String> declared = new java.util.HashSet<>();
            if (item.containsKey("parameters")) {
                item.getJsonArray("parameters").forEach(p -> declared.add(resolve((JsonObject) p).getString("name")));
            }
            Matcher params = PATH_PARAM.matcher(path);
            while (params.find()) {
                assertThat(declared).as(path).contains(params.group(1));
            }
            for (String method : item.fieldNames()) {
                if (!METHODS.contains(method)) {
                    continue;
                }
                JsonObject operation = item.getJsonObject(method);
                assertThat(operation.getString("operationId")).as(method + " " + path).isNotBlank();
                JsonObject responses = operation.getJsonObject("responses");
                assertThat(responses).as(method + " " + path).isNotNull();
                assertThat(responses.fieldNames()).as(method + " " + path).isNotEmpty();
                responses.forEach(entry -> assertThat(resolve((JsonObject) entry.getValue()).getString("description"))
                        .as(method + " " + path + " " + entry.getKey()).isNotBlank());
            }
        }
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        Matcher matcher = Pattern.compile("\"\\$ref\":\"([^\"]+)\"").matcher(doc.encode());
        while (matcher.find()) {
            refs.add(matcher.group(1));
        }
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(lookup(ref)).as(ref).isNotNull();
        }
    }

    @Test
    void theServerServesThisDocument() throws Exception {
        try (AdminTestServer http = AdminTestServer.withSecret("openapi-test-secret-0123", Clock.systemUTC()).start()) {
            HttpResponse<String> response = http.get("/api/openapi.json", null);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(response.body())).isEqualTo(doc);
        }
    }

    private JsonObject resolve(JsonObject maybeRef) {
        return maybeRef.containsKey("$ref") ? lookup(maybeRef.getString("$ref")) : maybeRef;
    }

    private JsonObject lookup(String ref) {
        assertThat(ref).startsWith("#/");
        JsonObject node = doc;
        for (String part : ref.substring(2).split("/")) {
            node = node == null ? null : node.getJsonObject(part);
        }
        return node;
    }
}
