package org.sluice.api.conference;

import io.vertx.core.json.JsonObject;
import org.sluice.api.browser.BrowserPage;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Drives the conferencing client ({@code /js/sluice-client.js}) in a page and reads back what the page
 * receives, per remote participant, from the peer connection's {@code getStats()}.
 */
final class ConferencePages {

    /** Fake camera size: small, so four pages encode and decode on two cores. */
    static final int WIDTH = ClientPage.WIDTH;
    static final int HEIGHT = ClientPage.HEIGHT;

    private ConferencePages() {
    }

    /**
     * Joins {@code room} as {@code name} with the client module, publishes the fake microphone and camera
     * and plays every received video in a muted element. {@code window.conf} gets {@code client} and
     * {@code events} (participantjoined/left, track, trackended). Returns the participant id.
     */
    static String join(BrowserPage page, String room, String name) throws Exception {
        Object result = page.evaluate("""
                (async () => {
                  const { SluiceClient } = await import('/js/sluice-client.js');
                  const stream = await navigator.mediaDevices.getUserMedia({
                    video: { width: { exact: %d }, height: { exact: %d }, frameRate: 30 }, audio: true });
                  const client = await SluiceClient.connect({ room: '%s', name: '%s' });
                  const events = [];
                  window.conf = { client, events, stream };
                  window.conf.speakers = [];
                  client.addEventListener('activespeakers', (e) => window.conf.speakers.push(e.detail.speakers));
                  for (const type of ['participantjoined', 'participantleft', 'track', 'trackended', 'removed', 'error']) {
                    client.addEventListener(type, (e) => events.push({ type,
                      participantId: e.detail.participantId ?? e.detail.participant?.id ?? null,
                      trackId: e.detail.trackId ?? null, kind: e.detail.kind ?? null,
                      error: e.detail.error ? String(e.detail.error) : null }));
                  }
                  client.addEventListener('track', (e) => {
                    if (e.detail.kind !== 'video') return;
                    const video = document.createElement('video');
                    video.muted = true; video.autoplay = true; video.playsInline = true;
                    video.srcObject = new MediaStream([e.detail.track]);
                    document.body.appendChild(video);
                  });
                  await Promise.all([client.publishMicrophone({ stream }),
                                     client.publishCamera({ stream, width: %d, height: %d })]);
                  return client.self.id;
                })().catch(e => 'error: ' + e)
                """.formatted(WIDTH, HEIGHT, room, name, WIDTH, HEIGHT));
        String id = String.valueOf(result);
        if (id.startsWith("error: ")) {
            throw new AssertionError(name + " could not join " + room + ": " + id);
        }
        return id;
    }

    /**
     * What the page receives, keyed by remote participant id: {@code {videoFrames, videoWidth, videoHeight,
     * videoPackets, audioPackets}}, from {@code pc.getStats()} matched by each remote track's
     * {@code MediaStreamTrack} id ({@code trackIdentifier}). {@code client} is the expression of the page's client.
     */
    static JsonObject received(BrowserPage page, String client) throws Exception {
        return (JsonObject) page.evaluate("""
                (async () => {
                  const client = %s;
                  const out = {};
                  if (!client || !client.pc) return out;
                  const byTrack = new Map();
                  for (const p of client.participants.values()) {
                    out[p.id] = { name: p.name ?? null, videoFrames: 0, videoWidth: 0, videoHeight: 0, videoPackets: 0,
                                  audioPackets: 0 };
                    for (const t of p.tracks.values()) {
                      if (t.mediaStreamTrack) byTrack.set(t.mediaStreamTrack.id, out[p.id]);
                    }
                  }
                  (await client.pc.getStats()).forEach((s) => {
                    if (s.type !== 'inbound-rtp') return;
                    const entry = byTrack.get(s.trackIdentifier);
                    if (!entry) return;
                    if (s.kind === 'video') {
                      entry.videoFrames = s.framesDecoded || 0; entry.videoWidth = s.frameWidth || 0;
                      entry.videoHeight = s.frameHeight || 0; entry.videoPackets = s.packetsReceived || 0;
                    } else {
                      entry.audioPackets = s.packetsReceived || 0;
                    }
                  });
                  return out;
                })()
                """.formatted(client));
    }

    /** Packets received so far in the sections whose tracks had these MediaStreamTrack ids. */
    static long packetsOfTracks(BrowserPage page, String client, Iterable<String> trackIdentifiers) throws Exception {
        StringBuilder ids = new StringBuilder("[");
        for (String id : trackIdentifiers) {
            ids.append(ids.length() > 1 ? "," : "").append('\'').append(id).append('\'');
        }
        ids.append(']');
        Object result = page.evaluate("""
                (async () => {
                  const ids = new Set(%s);
                  let packets = 0;
                  const client = %s;
                  (await client.pc.getStats()).forEach((s) => {
                    if (s.type === 'inbound-rtp' && ids.has(s.trackIdentifier)) packets += s.packetsReceived || 0;
                  });
                  return packets;
                })()
                """.formatted(ids, client));
        return ((Number) result).longValue();
    }

    /** Polls {@code read} every 250 ms until {@code condition} holds or {@code timeout} passes; returns the last value. */
    static JsonObject await(Source read, Predicate<JsonObject> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject last = read.read();
        while (!condition.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            last = read.read();
        }
        return last;
    }

    /** Something read from a page. */
    @FunctionalInterface
    interface Source {
        JsonObject read() throws Exception;
    }
}
