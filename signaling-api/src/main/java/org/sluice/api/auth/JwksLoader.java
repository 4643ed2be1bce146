package org.sluice.api.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Reads a JWKS from a file or an {@code http(s)://} URL (a GET with a timeout, the body bounded by
 * {@link JwkSet#MAX_CHARS}) and parses it. Blocking: call it off the event loop.
 */
final class JwksLoader {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    static boolean isUrl(String source) {
        return source.startsWith("http://") || source.startsWith("https://");
    }

    List<VerificationKey> load(String source) throws KeyFormatException {
        return JwkSet.parse(isUrl(source) ? fetch(source) : read(Path.of(source)), "JWKS " + source);
    }

    private static String read(Path file) throws KeyFormatException {
        try {
            if (Files.size(file) > JwkSet.MAX_CHARS) {
                throw new KeyFormatException("JWKS " + file + " is larger than " + JwkSet.MAX_CHARS + " bytes");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new KeyFormatException("JWKS file " + file + " does not exist");
        } catch (IOException | RuntimeException e) {
            throw new KeyFormatException("JWKS file " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    private String fetch(String url) throws KeyFormatException {
        HttpResponse<InputStream> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                    .header("Accept", "application/jwk-set+json, application/json").GET().build();
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | IllegalArgumentException e) {
            throw new KeyFormatException("JWKS " + url + " cannot be fetched: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeyFormatException("JWKS " + url + ": interrupted");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new KeyFormatException("JWKS " + url + " answered HTTP " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(JwkSet.MAX_CHARS + 1);
            if (bytes.length > JwkSet.MAX_CHARS) {
                throw new KeyFormatException("JWKS " + url + " is larger than " + JwkSet.MAX_CHARS + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KeyFormatException("JWKS " + url + " cannot be read: " + e.getClass().getSimpleName());
        }
    }
}
