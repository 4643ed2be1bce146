package org.sluice.core.broadcast;

import org.sluice.core.ice.IceLiteAgent;
import org.sluice.core.sdp.negotiation.CodecCapability;
import org.sluice.core.session.PendingRelay;
import org.sluice.rtp.ext.ExtensionType;

import java.util.ArrayList;
import java.util.List;

/**
 * The WHIP offer with which a broadcast's origin node pushes the broadcast to another node (an edge): one sendonly
 * audio section (Opus, its SSRC announced) and one sendonly video section carrying every simulcast layer slot of the
 * room as its own rid ({@code 0} … {@code n-1}, in {@code a=simulcast} order), with every video codec the engine
 * takes, NACK, PLI and FIR, and the mid, rid, audio level and dependency descriptor extensions. No RTX (a
 * retransmission goes on the layer's own SSRC), no transport-cc and no REMB: a relay carries every layer whatever
 * the edge's estimate. Each packet names its section and layer with the mid and rid extensions, so the edge's WHIP
 * ingest learns the layers as it learns a browser's. Immutable.
 *
 * @param id           the relay session's id on the origin
 * @param room         the broadcast room relayed
 * @param ice          our ICE agent (its credentials are in the offer)
 * @param audioSsrc    our audio SSRC toward the edge
 * @param videoSsrcs   our SSRC per layer slot toward the edge
 * @param cname        our CNAME toward the edge
 * @param sdp          the offer
 */
public record RelayOffer(String id, String room, IceLiteAgent ice, long audioSsrc, long[] videoSsrcs, String cname,
                         String sdp) implements PendingRelay {

    /** The mid of the audio section and of the video section. */
    public static final String AUDIO_MID = "0";
    public static final String VIDEO_MID = "1";
    /** Extension ids of the offer (the answer keeps them: RFC 8285 §6). */
    static final int MID_ID = 1;
    static final int AUDIO_LEVEL_ID = 2;
    static final int RID_ID = 3;
    static final int DEPENDENCY_DESCRIPTOR_ID = 4;
    private static final int OPUS_PAYLOAD_TYPE = 111;
    /** Payload types of the video codecs, in {@link CodecCapability#defaults()} order. */
    private static final int[] VIDEO_PAYLOAD_TYPES = {96, 98, 100, 102, 104, 106, 108, 110};
    private static final List<String> VIDEO_FEEDBACK = List.of("nack", "nack pli", "ccm fir");

    /** The rid of layer slot {@code layer}. */
    public static String rid(int layer) {
        return Integer.toString(layer);
    }

    /** Writes the offer for {@code layers} layer slots, with our {@code fingerprint} ("sha-256 AB:…"). */
    public static RelayOffer create(String id, String room, IceLiteAgent ice, String fingerprint, long audioSsrc,
                                    long[] videoSsrcs, String cname) {
        String ufrag = ice.localCredentials().ufrag();
        String pwd = ice.localCredentials().pwd();
        String stream = "sluice-relay-" + room;
        StringBuilder out = new StringBuilder(4096);
        line(out, "v=0");
        line(out, "o=- " + Long.toUnsignedString(audioSsrc) + " 2 IN IP4 0.0.0.0");
        line(out, "s=sluice-relay");
        line(out, "t=0 0");
        line(out, "a=group:BUNDLE " + AUDIO_MID + " " + VIDEO_MID);
        line(out, "a=extmap-allow-mixed");
        line(out, "a=msid-semantic: WMS " + stream);
        line(out, "m=audio 9 UDP/TLS/RTP/SAVPF " + OPUS_PAYLOAD_TYPE);
        transport(out, ufrag, pwd, fingerprint, AUDIO_MID);
        line(out, "a=extmap:" + MID_ID + " " + ExtensionType.MID.uri());
        line(out, "a=extmap:" + AUDIO_LEVEL_ID + " " + ExtensionType.AUDIO_LEVEL.uri());
        line(out, "a=sendonly");
        line(out, "a=msid:" + stream + " audio");
        line(out, "a=rtcp-mux");
        line(out, "a=rtpmap:" + OPUS_PAYLOAD_TYPE + " opus/48000/2");
        line(out, "a=fmtp:" + OPUS_PAYLOAD_TYPE + " minptime=10;useinbandfec=1");
        line(out, "a=ssrc:" + audioSsrc + " cname:" + cname);
        List<CodecCapability> video = new ArrayList<>();
        for (CodecCapability codec : CodecCapability.defaults()) {
            if (codec.kind().equals("video") && video.size() < VIDEO_PAYLOAD_TYPES.length) {
                video.add(codec);
            }
        }
        StringBuilder formats = new StringBuilder();
        for (int i = 0; i < video.size(); i++) {
            formats.append(' ').append(VIDEO_PAYLOAD_TYPES[i]);
        }
        line(out, "m=video 9 UDP/TLS/RTP/SAVPF" + formats);
        transport(out, ufrag, pwd, fingerprint, VIDEO_MID);
        line(out, "a=extmap:" + MID_ID + " " + ExtensionType.MID.uri());
        line(out, "a=extmap:" + RID_ID + " " + ExtensionType.RID.uri());
        line(out, "a=extmap:" + DEPENDENCY_DESCRIPTOR_ID + " " + ExtensionType.DEPENDENCY_DESCRIPTOR.uri());
        line(out, "a=sendonly");
        line(out, "a=msid:" + stream + " video");
        line(out, "a=rtcp-mux");
        line(out, "a=rtcp-rsize");
        for (int i = 0; i < video.size(); i++) {
            CodecCapability codec = video.get(i);
            int pt = VIDEO_PAYLOAD_TYPES[i];
            line(out, "a=rtpmap:" + pt + " " + codec.name() + "/" + codec.clockRate());
            if (codec.fmtp() != null) {
                line(out, "a=fmtp:" + pt + " " + codec.fmtp());
            }
            for (String feedback : VIDEO_FEEDBACK) {
                line(out, "a=rtcp-fb:" + pt + " " + feedback);
            }
        }
        StringBuilder rids = new StringBuilder();
        for (int layer = 0; layer < videoSsrcs.length; layer++) {
            line(out, "a=rid:" + rid(layer) + " send");
            rids.append(layer == 0 ? "" : ";").append(rid(layer));
        }
        line(out, "a=simulcast:send " + rids);
        return new RelayOffer(id, room, ice, audioSsrc, videoSsrcs.clone(), cname, out.toString());
    }

    private static void transport(StringBuilder out, String ufrag, String pwd, String fingerprint, String mid) {
        line(out, "c=IN IP4 0.0.0.0");
        line(out, "a=rtcp:9 IN IP4 0.0.0.0");
        line(out, "a=ice-ufrag:" + ufrag);
        line(out, "a=ice-pwd:" + pwd);
        line(out, "a=fingerprint:" + fingerprint);
        line(out, "a=setup:actpass");
        line(out, "a=mid:" + mid);
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append("\r\n");
    }
}
