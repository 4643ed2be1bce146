package org.sluice.api.conference;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.sluice.api.browser.Browser;
import org.sluice.api.browser.BrowserPage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;

/**
 * One participant: a browser page (Chromium or Firefox) running the conferencing client ({@code /js/sluice-client.js}), joined with
 * {@link Join} options, that records every client event and reads back, per remote track id, what its peer
 * connection receives ({@code getStats()} inbound-rtp matched by the {@code MediaStreamTrack} the track arrived in).
 * In the page, {@code window.conf} holds {@code client}, {@code events}, {@code joins} (every {@code joined}
 * reply's {@code resumed}), {@code speakers} (every {@code activespeakers} list) and {@code receivers} (remote track
 * id → MediaStreamTrack id).
 * <p>
 * The demo at {@code /} runs the same client behind its own UI ({@code window.sluiceDemo}); {@link #openDemo} and
 * {@link #receivedInDemo} are its entry points.
 */
public final class ClientPage {

    /** Fake camera size: small, so four pages encode and decode on two cores. */
    static final int WIDTH = 320;
    static final int HEIGHT = 180;

    /** The client's event types this page records. */
    private static final String EVENT_TYPES = "['participantjoined', 'participantleft', 'participantupdated', "
            + "'trackpublished', 'trackunpublished', 'trackmuted', 'track', 'trackended', 'reconnecting', "
            + "'reconnected', 'removed', 'error', 'publicationlayers']";

    private final BrowserPage page;
    private final String name;
    private final String id;
    private final String microphone;
    private final String camera;

    private ClientPage(BrowserPage page, String name, String id, String microphone, String camera) {
        this.page = page;
        this.name = name;
        this.id = id;
        this.microphone = microphone;
        this.camera = camera;
    }

    /**
     * What to join with and publish.
     *
     * @param room          room name
     * @param name          display name
     * @param token         JWT, or null
     * @param autoSubscribe the client's {@code autoSubscribe}
     * @param microphone    publish the fake microphone
     * @param cameraWidth   publish the fake camera at this size (0: no camera)
     * @param cameraHeight  camera height
     * @param simulcast     publish the camera as simulcast (rids q, h, f)
     */
    public record Join(String room, String name, String token, boolean autoSubscribe, boolean microphone, int cameraWidth,
                int cameraHeight, boolean simulcast) {

        /** Microphone and a 320x180 camera, receiving everything. */
        public static Join publishing(String room, String name) {
            return new Join(room, name, null, true, true, WIDTH, HEIGHT, false);
        }

        /** Publishes nothing and receives everything. */
        public static Join watching(String room, String name) {
            return new Join(room, name, null, true, false, 0, 0, false);
        }

        Join withToken(String jwt) {
            return new Join(room, name, jwt, autoSubscribe, microphone, cameraWidth, cameraHeight, simulcast);
        }

        Join withAutoSubscribe(boolean auto) {
            return new Join(room, name, token, auto, microphone, cameraWidth, cameraHeight, simulcast);
        }

        Join withCamera(int width, int height, boolean simulcastCamera, boolean withMicrophone) {
            return new Join(room, name, token, autoSubscribe, withMicrophone, width, height, simulcastCamera);
        }

        JsonObject toJson() {
            return new JsonObject().put("room", room).put("name", name).put("token", token)
                    .put("autoSubscribe", autoSubscribe).put("microphone", microphone)
                    .put("cameraWidth", cameraWidth).put("cameraHeight", cameraHeight).put("simulcast", simulcast);
        }
    }

    /**
     * Opens a page on {@code origin}, joins with {@code join} and publishes what it asks for; fails the test if
     * joining or publishing fails.
     */
    public static ClientPage join(Browser browser, String origin, Join join) throws Exception {
        BrowserPage page = browser.openPage();
        page.navigate(origin + "/", Duration.ofSeconds(15));
        Object result = page.evaluate("""
                (async () => {
                  const o = %s;
                  const { SluiceClient } = await import('/js/sluice-client.js');
                  const client = await SluiceClient.connect({ room: o.room, name: o.name, token: o.token ?? undefined,
                                                              autoSubscribe: o.autoSubscribe });
                  const events = [];
                  const receivers = {};
                  const joins = [];
                  const speakers = [];
                  window.conf = { client, events, receivers, joins, speakers };
                  client.addEventListener('activespeakers', (e) => speakers.push(e.detail.speakers));
                  const onJoined = client._onJoined.bind(client);
                  client._onJoined = (joined) => { joins.push({ resumed: Boolean(joined.resumed), at: Date.now() });
                                                   return onJoined(joined); };
                  for (const type of %s) {
                    client.addEventListener(type, (e) => {
                      const d = e.detail ?? {};
                      events.push({ type, at: Date.now(),
                        participantId: d.participantId ?? d.participant?.id ?? null,
                        trackId: d.trackId ?? (type === 'trackpublished' ? d.track?.id : null) ?? null,
                        kind: d.kind ?? null, muted: d.muted ?? null, reason: d.reason ?? null,
                        error: d.error ? (d.error.code ? d.error.code + ': ' : '') + String(d.error) : null });
                    });
                  }
                  client.addEventListener('track', (e) => {
                    receivers[e.detail.trackId] = e.detail.track.id;
                    if (e.detail.kind !== 'video') return;
                    const video = document.createElement('video');
                    video.muted = true; video.autoplay = true; video.playsInline = true; video.width = 160;
                    video.srcObject = new MediaStream([e.detail.track]);
                    document.body.appendChild(video);
                  });
                  const constraints = {};
                  if (o.microphone) constraints.audio = true;
                  if (o.cameraWidth > 0) {
                    constraints.video = { width: { exact: o.cameraWidth }, height: { exact: o.cameraHeight }, frameRate: 30 };
                  }
                  let microphone = null;
                  let camera = null;
                  if (o.microphone || o.cameraWidth > 0) {
                    const stream = await navigator.mediaDevices.getUserMedia(constraints);
                    window.conf.stream = stream;
                    [microphone, camera] = await Promise.all([
                      o.microphone ? client.publishMicrophone({ stream }) : null,
                      o.cameraWidth > 0 ? client.publishCamera({ stream, width: o.cameraWidth, height: o.cameraHeight,
                                                                 simulcast: o.simulcast }) : null]);
                  }
                  return { id: client.self.id, microphone, camera };
                })().catch(e => {
                  // What the peer connection looked like: its transceivers and the offer's sections.
                  const pc = window.conf?.client?.pc;
                  const sections = (pc?.localDescription?.sdp ?? '').split('\\r\\n')
                    .filter(l => /^(m=|a=mid:|a=(sendonly|recvonly|sendrecv|inactive)$|a=bundle-only)/.test(l));
                  const transceivers = (pc?.getTransceivers() ?? []).map(t => [t.mid, t.direction,
                    t.currentDirection, t.sender.track?.kind ?? null, t.receiver.track.kind]);
                  return { error: String(e) + ' (transceivers ' + JSON.stringify(transceivers) + ', offer '
                    + sections.join(' | ') + ')' };
                })
                """.formatted(join.toJson().encode(), EVENT_TYPES));
        JsonObject joined = (JsonObject) result;
        if (joined.containsKey("error")) {
            throw new AssertionError(join.name() + " could not join " + join.room() + ": " + joined.getString("error"));
        }
        return new ClientPage(page, join.name(), joined.getString("id"), joined.getString("microphone"),
                joined.getString("camera"));
    }

    String name() {
        return name;
    }

    /** This participant's id. */
    String id() {
        return id;
    }

    /** The id of the published microphone track, or null. */
    String microphone() {
        return microphone;
    }

    /** The id of the published camera track, or null. */
    String camera() {
        return camera;
    }

    BrowserPage page() {
        return page;
    }

    /**
     * Runs {@code body} (statements or one expression after {@code return}) in an async function where
     * {@code client} is this page's client; returns its value, or {@code "error: ..."} if it threw.
     */
    public Object run(String body) throws Exception {
        return page.evaluate("""
                (async () => { const client = window.conf.client; %s })()
                  .then(v => v === undefined ? 'ok' : v, e => 'error: ' + (e && e.code ? e.code + ': ' : '') + e)
                """.formatted(body));
    }

    /** Runs {@code body} and fails the test unless it completed without throwing. */
    public Object call(String body) throws Exception {
        Object result = run(body);
        if (result instanceof String s && s.startsWith("error: ")) {
            throw new AssertionError(name + ": `" + body + "` failed: " + s);
        }
        return result;
    }

    /** Every event recorded so far: {@code {type, at, participantId, trackId, kind, muted, reason, error}}. */
    JsonArray events() throws Exception {
        return (JsonArray) page.evaluate("window.conf.events");
    }

    /** The recorded events of {@code type} about {@code trackId} (any track if null). */
    JsonArray events(String type, String trackId) throws Exception {
        JsonArray out = new JsonArray();
        for (Object o : events()) {
            JsonObject e = (JsonObject) o;
            if (type.equals(e.getString("type")) && (trackId == null || trackId.equals(e.getString("trackId")))) {
                out.add(e);
            }
        }
        return out;
    }

    /** Waits (bounded) until an event of {@code type} about {@code trackId} was recorded; returns the first. */
    JsonObject awaitEvent(String type, String trackId, Duration timeout) throws Exception {
        JsonArray found = Polling.until(() -> events(type, trackId), a -> !a.isEmpty(), timeout);
        if (found.isEmpty()) {
            throw new AssertionError(name + " got no " + type + " for " + trackId + " within " + timeout
                    + "; events " + events().encode());
        }
        return found.getJsonObject(0);
    }

    /** Waits (bounded) until the {@code index}-th event (from 0) of {@code type} about {@code trackId}. */
    JsonObject awaitEvent(String type, String trackId, int index, Duration timeout) throws Exception {
        JsonArray found = Polling.until(() -> events(type, trackId), a -> a.size() > index, timeout);
        if (found.size() <= index) {
            throw new AssertionError(name + " got " + found.size() + " " + type + " events for " + trackId
                    + " within " + timeout + ", wanted " + (index + 1) + "; events " + events().encode());
        }
        return found.getJsonObject(index);
    }

    /**
     * What this page receives of remote track {@code trackId}: every inbound-rtp of the MediaStreamTrack it
     * arrived in, summed (packets, frames decoded), with the frame size of the one that received last. All zero
     * while it never arrived.
     */
    Received received(String trackId) throws Exception {
        JsonObject r = (JsonObject) page.evaluate("""
                (async () => {
                  const out = { packets: 0, frames: 0, width: 0, height: 0, streams: 0 };
                  const client = window.conf.client;
                  const identifier = window.conf.receivers['%s'];
                  if (!client.pc || !identifier) return out;
                  let last = -1;
                  (await client.pc.getStats()).forEach((s) => {
                    if (s.type !== 'inbound-rtp' || s.trackIdentifier !== identifier) return;
                    out.streams++;
                    out.packets += s.packetsReceived || 0;
                    out.frames += s.framesDecoded || 0;
                    const at = s.lastPacketReceivedTimestamp || 0;
                    if (at >= last && s.frameHeight) { last = at; out.width = s.frameWidth; out.height = s.frameHeight; }
                  });
                  return out;
                })()
                """.formatted(trackId));
        return new Received(r.getLong("packets"), r.getLong("frames"), r.getInteger("width"), r.getInteger("height"));
    }

    /** Inbound RTP packets of every kind this page has received so far. */
    long totalPacketsReceived() throws Exception {
        Object r = page.evaluate("""
                (async () => {
                  const pc = window.conf.client.pc;
                  let n = 0;
                  if (pc) (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp') n += s.packetsReceived || 0; });
                  return n;
                })()
                """);
        return ((Number) r).longValue();
    }

    /**
     * What this page receives, keyed by remote participant id: {@code {name, videoFrames, videoWidth, videoHeight,
     * videoPackets, audioPackets}}.
     */
    JsonObject receivedByParticipant() throws Exception {
        return receivedByParticipant(page, "window.conf && window.conf.client");
    }

    /** Packets received so far in the sections whose tracks had these MediaStreamTrack ids. */
    long packetsOfTracks(Collection<String> trackIdentifiers) throws Exception {
        Object r = call("""
                const ids = new Set(%s);
                let packets = 0;
                (await client.pc.getStats()).forEach((s) => {
                  if (s.type === 'inbound-rtp' && ids.has(s.trackIdentifier)) packets += s.packetsReceived || 0;
                });
                return packets;""".formatted(new JsonArray(new ArrayList<Object>(trackIdentifiers)).encode()));
        return ((Number) r).longValue();
    }

    /**
     * Opens the demo at {@code /} as a user would with a link that joins at once
     * ({@code ?room=..&name=..&autojoin=1&video=320x180}).
     */
    static BrowserPage openDemo(Browser browser, String origin, String room, String name) throws Exception {
        BrowserPage page = browser.openPage();
        page.navigate(origin + "/?room=" + room + "&name=" + name + "&autojoin=1&video=" + WIDTH + "x" + HEIGHT,
                Duration.ofSeconds(15));
        return page;
    }

    /** What a demo page ({@link #openDemo}) receives, keyed by remote participant id, as {@link #receivedByParticipant()}. */
    static JsonObject receivedInDemo(BrowserPage demo) throws Exception {
        return receivedByParticipant(demo, "window.sluiceDemo && window.sluiceDemo.client");
    }

    /**
     * Per remote participant, from {@code pc.getStats()} matched by each remote track's {@code MediaStreamTrack} id
     * ({@code trackIdentifier}); {@code client} is the page's expression for its client.
     */
    private static JsonObject receivedByParticipant(BrowserPage page, String client) throws Exception {
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

    /**
     * For a failure message: every inbound-rtp of a demo page's connection (kind, ssrc, mid, track, packets), the
     * client's mid → track mapping, each transceiver's mid, direction and receiver track, and the remote
     * description's ssrc and mid lines.
     */
    static String receiveDiagnostics(BrowserPage demo) {
        try {
            return String.valueOf(demo.evaluate("""
                    (async () => {
                      const client = window.sluiceDemo && window.sluiceDemo.client;
                      if (!client || !client.pc) return 'no client';
                      const inbound = [];
                      (await client.pc.getStats()).forEach((s) => {
                        if (s.type === 'inbound-rtp') inbound.push({ kind: s.kind, ssrc: s.ssrc, mid: s.mid,
                          track: s.trackIdentifier, packets: s.packetsReceived, discarded: s.packetsDiscarded });
                      });
                      const transceivers = client.pc.getTransceivers().map((t) => ({ mid: t.mid,
                        direction: t.direction, current: t.currentDirection, kind: t.receiver.track.kind,
                        track: t.receiver.track.id }));
                      const sdp = (client.pc.remoteDescription?.sdp ?? '').split('\\r\\n')
                        .filter((l) => l.startsWith('a=mid') || l.startsWith('a=ssrc') || l.startsWith('m=')
                          || l.startsWith('a=send') || l.startsWith('a=recv') || l.startsWith('a=inactive'));
                      return JSON.stringify({ inbound, receiving: [...client._receiving.entries()], transceivers, sdp });
                    })()
                    """));
        } catch (Exception e) {
            return "diagnostics unavailable: " + e;
        }
    }

    /** What a page receives of one remote track. */
    record Received(long packets, long frames, int width, int height) {
    }
}
