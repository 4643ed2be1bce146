package org.sluice.api.media;

import io.vertx.core.json.JsonObject;
import org.sluice.api.browser.BrowserPage;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Drives the server's own WHIP/WHEP modules ({@code /js/whip.js}, {@code /js/whep.js}) in a page
 * and reads {@code getStats()} back as JSON.
 */
final class MediaPages {

    private MediaPages() {
    }

    /** Publishes the fake camera (width x height) and microphone to {@code room}. */
    static void publish(BrowserPage page, String room, int width, int height) throws Exception {
        publish(page, room, width, height, null);
    }

    /** Publishes with a bearer token ({@code null} for none). */
    static void publish(BrowserPage page, String room, int width, int height, String token) throws Exception {
        Object result = page.evaluate("""
                (async () => {
                  const { WhipPublisher } = await import('/js/whip.js');
                  const stream = await navigator.mediaDevices.getUserMedia({
                    video: { width: { exact: %d }, height: { exact: %d }, frameRate: 30 }, audio: true });
                  window.publisher = new WhipPublisher('/whip/%s', %s);
                  await window.publisher.publish(stream);
                  return 'published';
                })().catch(e => 'error: ' + e)
                """.formatted(width, height, room, jsString(token)));
        if (!"published".equals(result)) {
            throw new AssertionError("publishing failed: " + result);
        }
    }

    /** Stops the page's publisher: closes its connection and DELETEs the WHIP resource. */
    static void stopPublishing(BrowserPage page) throws Exception {
        page.evaluate("window.publisher.stop().then(() => 'stopped').catch(e => 'error: ' + e)");
    }

    /** Starts a WHEP viewer of {@code room} in the page, playing into a video element. */
    static void watch(BrowserPage page, String room) throws Exception {
        watch(page, room, null);
    }

    /** Watches with a bearer token ({@code null} for none). */
    static void watch(BrowserPage page, String room, String token) throws Exception {
        Object result = page.evaluate("""
                (async () => {
                  const { WhepViewer } = await import('/js/whep.js');
                  window.viewer = new WhepViewer('/whep/%s', %s);
                  const stream = await window.viewer.watch();
                  const video = document.createElement('video');
                  video.muted = true; video.autoplay = true; video.playsInline = true;
                  video.srcObject = stream;
                  document.body.appendChild(video);
                  window.viewerVideo = video;
                  return 'watching';
                })().catch(e => 'error: ' + e)
                """.formatted(room, jsString(token)));
        if (!"watching".equals(result)) {
            throw new AssertionError("watching failed: " + result);
        }
    }

    private static String jsString(String value) {
        return value == null ? "undefined" : "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** An offer Chromium makes (not applied), for tests that mangle offers. */
    static String freshOffer(BrowserPage page, String direction) throws Exception {
        return (String) page.evaluate("""
                (async () => {
                  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
                  pc.addTransceiver('audio', { direction: '%s' });
                  pc.addTransceiver('video', { direction: '%s' });
                  const offer = await pc.createOffer();
                  pc.close();
                  return offer.sdp;
                })()
                """.formatted(direction, direction));
    }

    /** The viewer's inbound video and audio, its connection and the selected candidate pair. */
    static JsonObject viewerStats(BrowserPage page) throws Exception {
        return stats(page, "window.viewer.pc");
    }

    static JsonObject publisherStats(BrowserPage page) throws Exception {
        return stats(page, "window.publisher.pc");
    }

    private static JsonObject stats(BrowserPage page, String pc) throws Exception {
        return (JsonObject) page.evaluate("""
                (async () => {
                  const pc = %s;
                  const report = await pc.getStats();
                  const out = { connectionState: pc.connectionState, signalingState: pc.signalingState,
                                framesDecoded: 0, frameWidth: 0, frameHeight: 0, videoPackets: 0,
                                audioPackets: 0, audioEnergy: 0, framesSent: 0, pliCount: 0, pairProtocol: '' };
                  const candidates = {};
                  report.forEach(s => { if (s.type === 'local-candidate') candidates[s.id] = s; });
                  report.forEach(s => {
                    if (s.type === 'inbound-rtp' && s.kind === 'video') {
                      out.framesDecoded = s.framesDecoded || 0; out.frameWidth = s.frameWidth || 0;
                      out.frameHeight = s.frameHeight || 0; out.videoPackets = s.packetsReceived || 0;
                      out.pliCount = s.pliCount || 0;
                    }
                    if (s.type === 'inbound-rtp' && s.kind === 'audio') {
                      out.audioPackets = s.packetsReceived || 0; out.audioEnergy = s.totalAudioEnergy || 0;
                    }
                    if (s.type === 'outbound-rtp' && s.kind === 'video') {
                      out.framesSent = (out.framesSent || 0) + (s.framesSent || 0);
                    }
                    if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
                      const local = candidates[s.localCandidateId];
                      out.pairProtocol = local ? local.protocol : '';
                    }
                  });
                  return out;
                })()
                """.formatted(pc));
    }

    /** Polls {@code stats} until {@code condition} holds or {@code timeout} passes; returns the last stats. */
    static JsonObject awaitStats(StatsSource stats, Predicate<JsonObject> condition, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject last = stats.read();
        while (!condition.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            last = stats.read();
        }
        return last;
    }

    /**
     * Publishes the fake camera (width x height) as three simulcast layers, rids {@code q} (quarter),
     * {@code h} (half) and {@code f} (full), in that order, plus the microphone; the exchange is
     * {@code /js/negotiate.js}'s. {@code window.publisher} gets {@code pc} and {@code resource}.
     */
    static void publishSimulcast(BrowserPage page, String room, int width, int height) throws Exception {
        Object result = page.evaluate("""
                (async () => {
                  const { exchange } = await import('/js/negotiate.js');
                  const stream = await navigator.mediaDevices.getUserMedia({
                    video: { width: { exact: %d }, height: { exact: %d }, frameRate: 30 }, audio: true });
                  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
                  pc.addTransceiver(stream.getVideoTracks()[0], { direction: 'sendonly', streams: [stream],
                    sendEncodings: [ { rid: 'q', scaleResolutionDownBy: 4 }, { rid: 'h', scaleResolutionDownBy: 2 },
                                     { rid: 'f' } ] });
                  pc.addTransceiver(stream.getAudioTracks()[0], { direction: 'sendonly', streams: [stream] });
                  window.publisher = { pc, resource: null };
                  window.publisher.resource = await exchange(pc, '/whip/%s');
                  return 'published';
                })().catch(e => 'error: ' + e)
                """.formatted(width, height, room));
        if (!"published".equals(result)) {
            throw new AssertionError("simulcast publishing failed: " + result);
        }
    }

    /**
     * The publisher's video {@code outbound-rtp} entries, one per simulcast layer, keyed by rid:
     * {@code {q: {frameWidth, frameHeight, framesSent, bytesSent, active}, ...}}.
     */
    static JsonObject publisherVideoLayers(BrowserPage page) throws Exception {
        return (JsonObject) page.evaluate("""
                (async () => {
                  const report = await window.publisher.pc.getStats();
                  const out = {};
                  report.forEach(s => {
                    if (s.type === 'outbound-rtp' && s.kind === 'video') {
                      out[s.rid || ''] = { ssrc: s.ssrc, frameWidth: s.frameWidth || 0, frameHeight: s.frameHeight || 0,
                                           framesSent: s.framesSent || 0, bytesSent: s.bytesSent || 0,
                                           active: s.active !== false,
                                           qualityLimitationReason: s.qualityLimitationReason || '' };
                    }
                  });
                  return out;
                })()
                """);
    }

    /**
     * Wraps the page's {@code fetch} so that every response's {@code ETag} is kept, in order, in
     * {@code window.etags} (negotiate.js keeps only the Location). Call before publishing or watching.
     */
    static void recordEtags(BrowserPage page) throws Exception {
        page.evaluate("""
                (() => {
                  window.etags = [];
                  const original = window.fetch.bind(window);
                  window.fetch = async (...args) => {
                    const response = await original(...args);
                    const etag = response.headers.get('ETag');
                    if (etag) window.etags.push(etag);
                    return response;
                  };
                  return true;
                })()
                """);
    }

    /**
     * An ICE restart of {@code owner}'s connection ({@code window.viewer} or {@code window.publisher},
     * each with {@code pc} and {@code resource}) per RFC 9725 §4.4: {@code restartIce()}, a new
     * offer, its credentials, BUNDLE group, m-lines, mids and candidates PATCHed as an RFC 8840
     * fragment with {@code If-Match: *}; the 200 fragment's credentials replace those in the
     * current remote description. Returns the status, content type, ETag, the fragments and the
     * old and new credentials of both sides.
     */
    static JsonObject iceRestart(BrowserPage page, String owner) throws Exception {
        return (JsonObject) page.evaluate("""
                (async () => {
                  const owner = %s;
                  const pc = owner.pc;
                  const value = (sdp, name) => { const m = sdp.match(new RegExp('a=' + name + ':(\\\\S+)')); return m ? m[1] : null; };
                  const oldLocalUfrag = value(pc.localDescription.sdp, 'ice-ufrag');
                  const oldRemote = pc.remoteDescription.sdp;
                  pc.restartIce();
                  await pc.setLocalDescription(await pc.createOffer());
                  // The gathering state flips after setLocalDescription returns: wait for the new candidates.
                  for (let i = 0; i < 60 && !(pc.iceGatheringState === 'complete'
                       && pc.localDescription.sdp.includes('a=candidate:')); i++) {
                    await new Promise(r => setTimeout(r, 50));
                  }
                  const lines = pc.localDescription.sdp.split('\\r\\n');
                  const fragment = [];
                  fragment.push('a=ice-ufrag:' + value(pc.localDescription.sdp, 'ice-ufrag'));
                  fragment.push('a=ice-pwd:' + value(pc.localDescription.sdp, 'ice-pwd'));
                  fragment.push(lines.find(l => l.startsWith('a=group:BUNDLE')));
                  for (const line of lines) {
                    if (line.startsWith('m=') || line.startsWith('a=mid:') || line.startsWith('a=candidate:')) fragment.push(line);
                  }
                  const body = fragment.join('\\r\\n') + '\\r\\n';
                  const response = await fetch(owner.resource, { method: 'PATCH', body,
                    headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': '*' } });
                  const answer = await response.text();
                  const out = { status: response.status, contentType: response.headers.get('Content-Type') || '',
                                etag: response.headers.get('ETag') || '', sentFragment: body, answerFragment: answer,
                                oldLocalUfrag, newLocalUfrag: value(pc.localDescription.sdp, 'ice-ufrag'),
                                oldRemoteUfrag: value(oldRemote, 'ice-ufrag'), oldRemotePwd: value(oldRemote, 'ice-pwd'),
                                newRemoteUfrag: value(answer, 'ice-ufrag'), newRemotePwd: value(answer, 'ice-pwd') };
                  if (response.status !== 200 || !out.newRemoteUfrag || !out.newRemotePwd) return out;
                  const remote = oldRemote.replace(/a=ice-ufrag:\\S+/g, 'a=ice-ufrag:' + out.newRemoteUfrag)
                                          .replace(/a=ice-pwd:\\S+/g, 'a=ice-pwd:' + out.newRemotePwd);
                  await pc.setRemoteDescription({ type: 'answer', sdp: remote });
                  out.applied = true;
                  return out;
                })().catch(e => ({ error: String(e) }))
                """.formatted(owner));
    }

    /**
     * The ICE state of {@code pc} (a page expression) and its selected candidate pair: the local
     * candidate's ufrag, and the pair's STUN request and response counts.
     */
    static JsonObject selectedPair(BrowserPage page, String pc) throws Exception {
        return (JsonObject) page.evaluate("""
                (async () => {
                  const pc = %s;
                  const report = await pc.getStats();
                  const out = { connectionState: pc.connectionState, iceConnectionState: pc.iceConnectionState,
                                localUfrag: '', pairId: '', requestsSent: 0, responsesReceived: 0 };
                  report.forEach(s => {
                    if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
                    const pair = report.get(s.selectedCandidatePairId);
                    if (!pair) return;
                    out.pairId = pair.id;
                    out.requestsSent = pair.requestsSent || 0;
                    out.responsesReceived = pair.responsesReceived || 0;
                    const local = report.get(pair.localCandidateId);
                    out.localUfrag = (local && local.usernameFragment) || '';
                  });
                  return out;
                })()
                """.formatted(pc));
    }

    @FunctionalInterface
    interface StatsSource {
        JsonObject read() throws Exception;
    }
}
