package org.sluice.api.media;

import io.vertx.core.json.JsonObject;
import org.sluice.api.browser.BrowserPage;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What bandwidth tests read from a page's {@code RTCPeerConnection.getStats()}: byte counters with the report's
 * timestamp, so bit rates come from deltas, per simulcast layer on the sending side and for the one video stream on
 * the receiving side; and the port a page's offer gathered, to cap before media flows.
 */
final class BandwidthPages {

    private static final Pattern HOST_CANDIDATE = Pattern.compile(
            "a=candidate:\\S+ 1 udp \\d+ 127\\.0\\.0\\.1 (\\d+) typ host");

    private BandwidthPages() {
    }

    /**
     * The video {@code outbound-rtp} entries of {@code pc} keyed by rid ({@code ""} without simulcast):
     * {@code {timestamp, ssrc, bytesSent, headerBytesSent, framesSent, framesEncoded, frameWidth, frameHeight,
     * active, fps, targetBitrate, qualityLimitationReason}}, plus {@code _pair}: the selected candidate pair's
     * {@code availableOutgoingBitrate}, and {@code _report}: the report's {@code timestamp}.
     */
    static JsonObject outboundLayers(BrowserPage page, String pc) throws Exception {
        return (JsonObject) page.evaluate("""
                (async () => {
                  const report = await %s.getStats();
                  const out = { _pair: { timestamp: 0, availableOutgoingBitrate: 0 }, _report: { timestamp: 0 } };
                  report.forEach(s => {
                    if (s.type === 'outbound-rtp' && s.kind === 'video') {
                      out._report.timestamp = Math.max(out._report.timestamp, s.timestamp);
                      out[s.rid || ''] = { timestamp: s.timestamp, ssrc: s.ssrc, bytesSent: s.bytesSent || 0,
                        headerBytesSent: s.headerBytesSent || 0, framesSent: s.framesSent || 0,
                        framesEncoded: s.framesEncoded || 0, frameWidth: s.frameWidth || 0,
                        frameHeight: s.frameHeight || 0, active: s.active !== false, fps: s.framesPerSecond || 0,
                        targetBitrate: s.targetBitrate || 0, qualityLimitationReason: s.qualityLimitationReason || '' };
                    }
                    if (s.type === 'transport' && s.selectedCandidatePairId) {
                      const pair = report.get(s.selectedCandidatePairId);
                      if (pair) out._pair = { timestamp: pair.timestamp,
                                              availableOutgoingBitrate: pair.availableOutgoingBitrate || 0 };
                    }
                  });
                  return out;
                })()
                """.formatted(pc));
    }

    /**
     * The video {@code inbound-rtp} of {@code pc} (the one that received last if there are several):
     * {@code {timestamp, ssrc, bytesReceived, headerBytesReceived, packetsReceived, packetsLost, framesDecoded,
     * framesDropped, frameWidth, frameHeight, fps, jitter, nackCount, pliCount, freezeCount,
     * retransmittedPacketsReceived}}; zeros before it exists.
     */
    static JsonObject inboundVideo(BrowserPage page, String pc) throws Exception {
        return (JsonObject) page.evaluate("""
                (async () => {
                  const report = await %s.getStats();
                  let out = { timestamp: performance.timeOrigin + performance.now(), ssrc: 0, bytesReceived: 0,
                              headerBytesReceived: 0, packetsReceived: 0, packetsLost: 0, framesDecoded: 0,
                              framesDropped: 0, frameWidth: 0, frameHeight: 0, fps: 0, jitter: 0, nackCount: 0,
                              pliCount: 0, freezeCount: 0, retransmittedPacketsReceived: 0 };
                  let last = -1;
                  report.forEach(s => {
                    if (s.type !== 'inbound-rtp' || s.kind !== 'video') return;
                    const at = s.lastPacketReceivedTimestamp || 0;
                    if (at < last) return;
                    last = at;
                    out = { timestamp: s.timestamp, ssrc: s.ssrc, bytesReceived: s.bytesReceived || 0,
                            headerBytesReceived: s.headerBytesReceived || 0, packetsReceived: s.packetsReceived || 0,
                            packetsLost: s.packetsLost || 0, framesDecoded: s.framesDecoded || 0,
                            framesDropped: s.framesDropped || 0, frameWidth: s.frameWidth || 0,
                            frameHeight: s.frameHeight || 0, fps: s.framesPerSecond || 0, jitter: s.jitter || 0,
                            nackCount: s.nackCount || 0, pliCount: s.pliCount || 0, freezeCount: s.freezeCount || 0,
                            retransmittedPacketsReceived: s.retransmittedPacketsReceived || 0 };
                  });
                  return out;
                })()
                """.formatted(pc));
    }

    /** Kbit/s between two reads of one stream: the change of the sum of {@code byteFields} over the timestamps'. */
    static double kbps(JsonObject earlier, JsonObject later, String... byteFields) {
        double ms = later.getDouble("timestamp") - earlier.getDouble("timestamp");
        if (ms <= 0) {
            return 0;
        }
        double bytes = 0;
        for (String field : byteFields) {
            bytes += later.getDouble(field) - earlier.getDouble(field);
        }
        return bytes * 8 / ms;
    }

    /** The UDP ports of the IPv4 loopback host candidates in {@code pc}'s local description, empty before gathering. */
    static List<Integer> gatheredLoopbackPorts(BrowserPage page, String pc) throws Exception {
        Object sdp = page.evaluate("(() => { const p = %s; return p && p.localDescription ? p.localDescription.sdp : ''; })()"
                .formatted(pc));
        List<Integer> ports = new ArrayList<>();
        Matcher m = HOST_CANDIDATE.matcher(sdp == null ? "" : sdp.toString());
        while (m.find()) {
            int port = Integer.parseInt(m.group(1));
            if (!ports.contains(port)) {
                ports.add(port);
            }
        }
        return ports;
    }

    /**
     * A history of reads taken every so often, to ask for the rate over the last second: the newest read and the
     * newest one at least {@code spanMs} older than it (by the reads' {@code timestamp}).
     */
    static final class History {
        private final List<JsonObject> reads = new ArrayList<>();

        void add(JsonObject read) {
            reads.add(read);
        }

        JsonObject latest() {
            return reads.get(reads.size() - 1);
        }

        /** The newest read at least {@code spanMs} before the latest, or null. */
        JsonObject before(double spanMs, String timestampPath) {
            double latest = timestamp(latest(), timestampPath);
            for (int i = reads.size() - 2; i >= 0; i--) {
                if (latest - timestamp(reads.get(i), timestampPath) >= spanMs) {
                    return reads.get(i);
                }
            }
            return null;
        }

        private static double timestamp(JsonObject read, String path) {
            JsonObject node = read;
            if (path != null) {
                node = read.getJsonObject(path, new JsonObject().put("timestamp", 0));
            }
            return node.getDouble("timestamp", 0.0);
        }
    }
}
