package org.sluice.loadgen.peer;

import java.util.List;

/**
 * A Chromium-shaped offer: BUNDLE over an Opus section (mid 0, PT 111) and a VP8 section (mid 1,
 * PT 96), rtcp-mux, the client's ICE credentials, host candidate and certificate fingerprint,
 * {@code a=setup:actpass}. A publisher's sections are sendonly with {@code a=ssrc} lines; a
 * viewer's recvonly. No transport-cc or REMB is offered, so the server caps nothing by bandwidth.
 */
public final class OfferSdp {

    public static final int OPUS_PAYLOAD_TYPE = 111;
    public static final int VP8_PAYLOAD_TYPE = 96;

    private OfferSdp() {
    }

    /** A WHIP offer announcing {@code audioSsrc} and {@code videoSsrc} (audio omitted when {@code audioSsrc} is 0). */
    public static String publisher(ClientPeer peer, long audioSsrc, long videoSsrc) {
        return build(peer, true, audioSsrc, videoSsrc);
    }

    /** A WHEP offer receiving audio and video. */
    public static String viewer(ClientPeer peer) {
        return build(peer, false, 0, 0);
    }

    /**
     * A conference offer: mid 0 sends Opus ({@code audioSsrc}), mid 1 sends VP8 ({@code videoSsrc}), then one
     * recvonly section per entry of {@code receiveKinds} ("audio" or "video") with mids 2, 3, ... in that
     * order, all BUNDLEd. Callers only append to {@code receiveKinds}, so a section keeps its mid and kind
     * across offers, as a browser's transceivers do.
     */
    public static String conference(ClientPeer peer, long audioSsrc, long videoSsrc, List<String> receiveKinds) {
        String ufrag = peer.ufrag();
        String stream = "lg-" + ufrag;
        String cname = "cname-" + ufrag;
        int sections = 2 + receiveKinds.size();
        StringBuilder out = new StringBuilder(1024 * sections);
        line(out, "v=0");
        line(out, "o=- " + (System.nanoTime() & Long.MAX_VALUE) + " 2 IN IP4 127.0.0.1");
        line(out, "s=-");
        line(out, "t=0 0");
        StringBuilder bundle = new StringBuilder("a=group:BUNDLE");
        for (int mid = 0; mid < sections; mid++) {
            bundle.append(' ').append(mid);
        }
        line(out, bundle.toString());
        line(out, "a=extmap-allow-mixed");
        line(out, "a=msid-semantic: WMS " + stream);
        section(out, peer, true, "audio", "0", OPUS_PAYLOAD_TYPE, "opus/48000/2", stream);
        line(out, "a=fmtp:111 minptime=10;useinbandfec=1");
        ssrcLines(out, true, audioSsrc, stream, "audio", cname);
        section(out, peer, true, "video", "1", VP8_PAYLOAD_TYPE, "VP8/90000", stream);
        videoFeedback(out);
        ssrcLines(out, true, videoSsrc, stream, "video", cname);
        int mid = 2;
        for (String kind : receiveKinds) {
            if (kind.equals("audio")) {
                section(out, peer, false, "audio", Integer.toString(mid), OPUS_PAYLOAD_TYPE, "opus/48000/2", stream);
                line(out, "a=fmtp:111 minptime=10;useinbandfec=1");
            } else {
                section(out, peer, false, "video", Integer.toString(mid), VP8_PAYLOAD_TYPE, "VP8/90000", stream);
                videoFeedback(out);
            }
            mid++;
        }
        return out.toString();
    }

    private static void videoFeedback(StringBuilder out) {
        line(out, "a=rtcp-fb:96 ccm fir");
        line(out, "a=rtcp-fb:96 nack");
        line(out, "a=rtcp-fb:96 nack pli");
    }

    private static String build(ClientPeer peer, boolean sending, long audioSsrc, long videoSsrc) {
        String ufrag = peer.ufrag();
        String stream = "lg-" + ufrag;
        String cname = "cname-" + ufrag;
        StringBuilder out = new StringBuilder(2048);
        line(out, "v=0");
        line(out, "o=- " + (System.nanoTime() & Long.MAX_VALUE) + " 2 IN IP4 127.0.0.1");
        line(out, "s=-");
        line(out, "t=0 0");
        line(out, "a=group:BUNDLE 0 1");
        line(out, "a=extmap-allow-mixed");
        line(out, "a=msid-semantic: WMS" + (sending ? " " + stream : ""));
        section(out, peer, sending, "audio", "0", OPUS_PAYLOAD_TYPE, "opus/48000/2", stream);
        line(out, "a=fmtp:111 minptime=10;useinbandfec=1");
        ssrcLines(out, sending, audioSsrc, stream, "audio", cname);
        section(out, peer, sending, "video", "1", VP8_PAYLOAD_TYPE, "VP8/90000", stream);
        videoFeedback(out);
        ssrcLines(out, sending, videoSsrc, stream, "video", cname);
        return out.toString();
    }

    private static void section(StringBuilder out, ClientPeer peer, boolean sending, String kind, String mid,
                                int payloadType, String codec, String stream) {
        String address = peer.localAddress().getAddress().getHostAddress();
        int port = peer.localAddress().getPort();
        line(out, "m=" + kind + " " + port + " UDP/TLS/RTP/SAVPF " + payloadType);
        line(out, "c=IN IP4 " + address);
        line(out, "a=rtcp:9 IN IP4 0.0.0.0");
        line(out, "a=candidate:1 1 udp 2122260223 " + address + " " + port + " typ host generation 0");
        line(out, "a=ice-ufrag:" + peer.ufrag());
        line(out, "a=ice-pwd:" + peer.password());
        line(out, "a=fingerprint:" + peer.sdpFingerprint());
        line(out, "a=setup:actpass");
        line(out, "a=mid:" + mid);
        line(out, sending ? "a=sendonly" : "a=recvonly");
        if (sending) {
            line(out, "a=msid:" + stream + " " + kind);
        }
        line(out, "a=rtcp-mux");
        line(out, "a=rtcp-rsize");
        line(out, "a=rtpmap:" + payloadType + " " + codec);
    }

    private static void ssrcLines(StringBuilder out, boolean sending, long ssrc, String stream, String track,
                                  String cname) {
        if (sending && ssrc != 0) {
            line(out, "a=ssrc:" + ssrc + " cname:" + cname);
            line(out, "a=ssrc:" + ssrc + " msid:" + stream + " " + track);
        }
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append("\r\n");
    }
}
