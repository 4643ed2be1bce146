package org.sluice.loadgen.peer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * WHIP (RFC 9725) and WHEP over HTTP/1.1: {@code POST /whip/{room}} or {@code /whep/{room}} with the
 * offer, {@code 201} with the answer and a {@code Location}; {@code DELETE} on that location ends
 * the session. A bearer token is sent when given.
 */
public final class HttpSignaling {

    /** An answered offer: the answer SDP and the session's URL. */
    public record Session(String answerSdp, URI location) {
    }

    private final HttpClient client;
    private final URI base;
    /** Where WHEP viewers post, in turn (the edges of a cluster); {@link #base} when empty. */
    private final java.util.List<URI> viewerBases;
    private final java.util.concurrent.atomic.AtomicInteger nextViewerBase = new java.util.concurrent.atomic.AtomicInteger();
    private final Optional<String> token;
    private final Duration timeout;

    public HttpSignaling(URI base, Optional<String> token, Duration timeout) {
        this(base, java.util.List.of(), token, timeout);
    }

    /**
     * WHIP and reads at {@code base}; WHEP at each of {@code viewerBases} in turn (for example the other nodes of a
     * cluster, which serve the viewers of {@code base}'s broadcasts as edges), at {@code base} when it is empty.
     */
    public HttpSignaling(URI base, java.util.List<URI> viewerBases, Optional<String> token, Duration timeout) {
        this.base = base;
        this.viewerBases = java.util.List.copyOf(viewerBases);
        this.token = token;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    public Session publish(String room, String offer) throws IOException, InterruptedException {
        return post(base, "/whip/" + room, offer);
    }

    public Session view(String room, String offer) throws IOException, InterruptedException {
        URI at = viewerBases.isEmpty() ? base
                : viewerBases.get(Math.floorMod(nextViewerBase.getAndIncrement(), viewerBases.size()));
        return post(at, "/whep/" + room, offer);
    }

    /** Ends a session; failures are ignored (the server times the session out anyway). */
    public void end(Session session) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(session.location()).timeout(timeout).DELETE();
            token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
            client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // best effort
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A GET of {@code path} on the server (e.g. {@code /metrics}); the body, or empty on any failure. */
    public Optional<String> get(String path) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET();
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private Session post(URI at, String path, String offer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(at.resolve(path)).timeout(timeout)
                .header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(offer));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("POST " + path + " answered " + response.statusCode() + ": "
                    + firstLine(response.body()));
        }
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new IOException("POST " + path + " answered 201 without Location"));
        return new Session(response.body(), at.resolve(location));
    }

    private static String firstLine(String body) {
        if (body == null) {
            return "";
        }
        int nl = body.indexOf('\n');
        String line = nl < 0 ? body : body.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
