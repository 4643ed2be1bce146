package org.sluice.api.media;

import io.vertx.core.json.JsonObject;
import org.sluice.api.browser.BrowserPage;

/**
 * What loss tests read from a page's {@code RTCPeerConnection.getStats()}: the selected candidate pair's ports (to
 * aim a {@link LossyLink} at) and the video counters that show loss and its repair.
 */
final class LossyPages {

    private LossyPages() {
    }

    /**
     * The selected candidate pair of {@code pc} (a page expression such as {@code window.viewer.pc}):
     * {@code {state, protocol, localAddress, localPort, remoteAddress, remotePort}}, all empty or 0 before ICE has
     * one. The pair is the transport's {@code selectedCandidatePairId}, or else a {@code candidate-pair} that is
     * nominated and succeeded.
     */
    static JsonObject selectedPair(BrowserPage page, String pc) throws Exception {
        return (JsonObject) page.evaluate("""
                (async () => {
                  const report = await %s.getStats();
                  let pair = null;
                  report.forEach(s => {
                    if (s.type === 'transport' && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId) || pair;
                  });
                  if (!pair) {
                    report.forEach(s => { if (!pair && s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pair = s; });
                  }
                  const out = { state: '', protocol: '', localAddress: '', localPort: 0, remoteAddress: '', remotePort: 0 };
                  if (!pair) return out;
                  const local = report.get(pair.localCandidateId) || {};
                  const remote = report.get(pair.remoteCandidateId) || {};
                  out.state = pair.state || '';
                  out.protocol = local.protocol || '';
                  out.localAddress = local.address || local.ip || '';
                  out.localPort = local.port || 0;
                  out.remoteAddress = remote.address || remote.ip || '';
                  out.remotePort = remote.port || 0;
                  return out;
                })()
                """.formatted(pc));
    }

    /**
     * The video counters of {@code pc}: from {@code outbound-rtp} (summed over layers) {@code framesEncoded,
     * framesSent, packetsSent, retransmittedPacketsSent, nackCount (received), pliCount (received), frameWidth,
     * frameHeight}, the loss the far end reports in {@code remote-inbound-rtp} ({@code remotePacketsLost}), and from
     * {@code inbound-rtp} {@code framesReceived, framesDecoded, framesDropped, keyFramesDecoded, packetsReceived,
     * packetsLost, nackCount (sent, as inboundNackCount), retransmittedPacketsReceived, freezeCount,
     * totalFreezesDuration, pauseCount, totalPausesDuration (gaps of 5 s or more, which are not freezes), pliCount (sent, as inboundPliCount), frameWidth (as decodedWidth)}. Absent counters are 0.
     */
    static JsonObject videoCounters(BrowserPage page, String pc) throws Exception {
        return (JsonObject) page.evaluate("""
                (async () => {
                  const report = await %s.getStats();
                  const out = { framesEncoded: 0, framesSent: 0, packetsSent: 0, retransmittedPacketsSent: 0,
                                nackCount: 0, pliCount: 0, frameWidth: 0, frameHeight: 0, remotePacketsLost: 0,
                                framesReceived: 0, framesDecoded: 0, framesDropped: 0, keyFramesDecoded: 0,
                                packetsReceived: 0, packetsLost: 0, inboundNackCount: 0,
                                retransmittedPacketsReceived: 0, freezeCount: 0, totalFreezesDuration: 0,
                                pauseCount: 0, totalPausesDuration: 0,
                                inboundPliCount: 0, decodedWidth: 0 };
                  report.forEach(s => {
                    if (s.kind !== 'video') return;
                    if (s.type === 'outbound-rtp') {
                      out.framesEncoded += s.framesEncoded || 0; out.framesSent += s.framesSent || 0;
                      out.packetsSent += s.packetsSent || 0;
                      out.retransmittedPacketsSent += s.retransmittedPacketsSent || 0;
                      out.nackCount += s.nackCount || 0; out.pliCount += s.pliCount || 0;
                      out.frameWidth = Math.max(out.frameWidth, s.frameWidth || 0);
                      out.frameHeight = Math.max(out.frameHeight, s.frameHeight || 0);
                    }
                    if (s.type === 'remote-inbound-rtp') out.remotePacketsLost += s.packetsLost || 0;
                    if (s.type === 'inbound-rtp') {
                      out.framesReceived += s.framesReceived || 0; out.framesDecoded += s.framesDecoded || 0;
                      out.framesDropped += s.framesDropped || 0; out.keyFramesDecoded += s.keyFramesDecoded || 0;
                      out.packetsReceived += s.packetsReceived || 0; out.packetsLost += s.packetsLost || 0;
                      out.inboundNackCount += s.nackCount || 0;
                      out.retransmittedPacketsReceived += s.retransmittedPacketsReceived || 0;
                      out.freezeCount += s.freezeCount || 0; out.totalFreezesDuration += s.totalFreezesDuration || 0;
                      out.pauseCount += s.pauseCount || 0; out.totalPausesDuration += s.totalPausesDuration || 0;
                      out.inboundPliCount += s.pliCount || 0; out.decodedWidth = s.frameWidth || 0;
                    }
                  });
                  return out;
                })()
                """.formatted(pc));
    }

    /** {@code after - before} for every numeric field of two {@link #videoCounters} reads. */
    static JsonObject delta(JsonObject before, JsonObject after) {
        JsonObject delta = new JsonObject();
        for (String field : after.fieldNames()) {
            Object a = after.getValue(field);
            Object b = before.getValue(field);
            if (a instanceof Number an && b instanceof Number bn) {
                double d = an.doubleValue() - bn.doubleValue();
                delta.put(field, d == Math.rint(d) ? (Object) (long) d : (Object) d);
            }
        }
        return delta;
    }
}
