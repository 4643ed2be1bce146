package org.sluice.core.testing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A Chromium-shaped SDP offer for a {@link SimulatedPeer}: BUNDLE over an audio (mid 0) and a video
 * (mid 1) section, rtcp-mux, the peer's ICE credentials, host candidate and certificate fingerprint,
 * {@code a=setup:actpass}; Opus on PT 111 and VP8 on PT 96. A publisher's offer is sendonly with
 * {@code a=ssrc} lines (cname, msid); a viewer's is recvonly. Build with {@link #publisher} or
 * {@link #viewer}; the setters exist to make deliberately unacceptable offers.
 */
public final class PeerOffer {

    private final boolean sending;
    private final String ufrag;
    private final String password;
    private final String fingerprint;
    private final String address;
    private final int port;
    private final long audioSsrc;
    private final long videoSsrc;
    private final long videoRtxSsrc;
    private boolean bundle = true;
    private boolean rtx;
    private boolean transportCc;
    private boolean rrtr;
    private boolean remb;
    private String audioCodec = "opus/48000/2";
    private String videoCodec = "VP8/90000";

    private PeerOffer(boolean sending, SimulatedPeer peer) {
        this.sending = sending;
        this.ufrag = peer.ufrag();
        this.password = peer.password();
        this.fingerprint = peer.certificate().sdpFingerprint();
        this.address = peer.localAddress().getAddress().getHostAddress();
        this.port = peer.localAddress().getPort();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        this.audioSsrc = sending ? random.nextLong(1, 0x100000000L) : 0;
        this.videoSsrc = sending ? random.nextLong(1, 0x100000000L) : 0;
        this.videoRtxSsrc = sending ? random.nextLong(1, 0x100000000L) : 0;
    }

    /** Offers RTX (RFC 4588) for VP8 on PT {@link #RTX_PAYLOAD_TYPE}; a publisher announces an FID group. */
    public PeerOffer withRtx() {
        rtx = true;
        return this;
    }

    /** Offers the transport-wide sequence number extension (id {@link #TRANSPORT_CC_ID}) and transport-cc feedback. */
    public PeerOffer withTransportCc() {
        transportCc = true;
        return this;
    }

    /** Offers Google's receiver estimated maximum bitrate feedback ({@code goog-remb}) for VP8. */
    public PeerOffer withRemb() {
        remb = true;
        return this;
    }

    /** Offers libwebrtc's {@code rrtr} feedback for VP8 (RFC 3611 receiver reference time and DLRR answers). */
    public PeerOffer withRrtr() {
        rrtr = true;
        return this;
    }

    /** The RTX payload type {@link #withRtx} offers. */
    public static final int RTX_PAYLOAD_TYPE = 97;
    /** The id {@link #withTransportCc} offers for the transport-wide sequence number extension. */
    public static final int TRANSPORT_CC_ID = 5;

    /** The RTX SSRC a publisher announces with {@link #withRtx}. */
    public long videoRtxSsrc() {
        return videoRtxSsrc;
    }

    /** A WHIP offer: sends audio and video with fresh random SSRCs. */
    public static PeerOffer publisher(SimulatedPeer peer) {
        return new PeerOffer(true, peer);
    }

    /** A WHEP offer: receives audio and video. */
    public static PeerOffer viewer(SimulatedPeer peer) {
        return new PeerOffer(false, peer);
    }

    /** Leaves out {@code a=group:BUNDLE} (the engine requires it). */
    public PeerOffer withoutBundle() {
        bundle = false;
        return this;
    }

    /** Replaces the rtpmap encodings, e.g. {@code "G7221/16000"} and {@code "H265/90000"}. */
    public PeerOffer codecs(String audioEncoding, String videoEncoding) {
        this.audioCodec = audioEncoding;
        this.videoCodec = videoEncoding;
        return this;
    }

    /** The audio SSRC announced (0 for a viewer). */
    public long audioSsrc() {
        return audioSsrc;
    }

    /** The video SSRC announced (0 for a viewer). */
    public long videoSsrc() {
        return videoSsrc;
    }

    /** The offer text, CRLF line endings. */
    public String sdp() {
        String stream = "stream-" + ufrag;
        String cname = "cname-" + ufrag;
        StringBuilder out = new StringBuilder(2048);
        line(out, "v=0");
        line(out, "o=- " + ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE) + " 2 IN IP4 127.0.0.1");
        line(out, "s=-");
        line(out, "t=0 0");
        if (bundle) {
            line(out, "a=group:BUNDLE 0 1");
        }
        line(out, "a=extmap-allow-mixed");
        line(out, "a=msid-semantic: WMS" + (sending ? " " + stream : ""));
        section(out, "audio", "0", 111, audioCodec, audioSsrc, stream, cname);
        line(out, "a=fmtp:111 minptime=10;useinbandfec=1");
        ssrcLines(out, audioSsrc, stream, "audio-track", cname);
        section(out, "video", "1", 96, videoCodec, videoSsrc, stream, cname);
        line(out, "a=rtcp-fb:96 ccm fir");
        line(out, "a=rtcp-fb:96 nack");
        line(out, "a=rtcp-fb:96 nack pli");
        if (transportCc) {
            line(out, "a=rtcp-fb:96 transport-cc");
        }
        if (rrtr) {
            line(out, "a=rtcp-fb:96 rrtr");
        }
        if (remb) {
            line(out, "a=rtcp-fb:96 goog-remb");
        }
        if (rtx) {
            line(out, "a=rtpmap:" + RTX_PAYLOAD_TYPE + " rtx/90000");
            line(out, "a=fmtp:" + RTX_PAYLOAD_TYPE + " apt=96");
            if (sending) {
                line(out, "a=ssrc-group:FID " + videoSsrc + " " + videoRtxSsrc);
            }
        }
        ssrcLines(out, videoSsrc, stream, "video-track", cname);
        if (rtx) {
            ssrcLines(out, videoRtxSsrc, stream, "video-track", cname);
        }
        return out.toString();
    }

    private void section(StringBuilder out, String kind, String mid, int pt, String codec, long ssrc, String stream,
                         String cname) {
        line(out, "m=" + kind + " " + port + " UDP/TLS/RTP/SAVPF " + pt
                + (rtx && kind.equals("video") ? " " + RTX_PAYLOAD_TYPE : ""));
        line(out, "c=IN IP4 " + address);
        line(out, "a=rtcp:9 IN IP4 0.0.0.0");
        line(out, "a=candidate:1 1 udp 2122260223 " + address + " " + port + " typ host generation 0");
        line(out, "a=ice-ufrag:" + ufrag);
        line(out, "a=ice-pwd:" + password);
        line(out, "a=ice-options:trickle");
        line(out, "a=fingerprint:" + fingerprint);
        line(out, "a=setup:actpass");
        line(out, "a=mid:" + mid);
        line(out, "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid");
        if (transportCc) {
            line(out, "a=extmap:" + TRANSPORT_CC_ID
                    + " http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
        }
        line(out, sending ? "a=sendonly" : "a=recvonly");
        if (sending) {
            line(out, "a=msid:" + stream + " " + kind + "-track");
        }
        line(out, "a=rtcp-mux");
        line(out, "a=rtcp-rsize");
        line(out, "a=rtpmap:" + pt + " " + codec);
    }

    private void ssrcLines(StringBuilder out, long ssrc, String stream, String track, String cname) {
        if (sending) {
            line(out, "a=ssrc:" + ssrc + " cname:" + cname);
            line(out, "a=ssrc:" + ssrc + " msid:" + stream + " " + track);
        }
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append("\r\n");
    }
}
