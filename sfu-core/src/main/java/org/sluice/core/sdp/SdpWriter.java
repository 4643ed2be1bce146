package org.sluice.core.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link SessionDescription} as SDP text: CRLF line endings, session lines in RFC 8866 order
 * ({@code v o s i u e p c b t r z k a}), then each m= section ({@code m i c b k a}). Within a section, attributes
 * follow the order browsers use (transport, mid, extensions, direction, msid, rtcp, then per payload type rtpmap,
 * rtcp-fb, fmtp, then SSRCs, RIDs, simulcast), then the attributes kept verbatim. Stateless.
 */
public final class SdpWriter {

    private static final String CRLF = "\r\n";
    private static final String SESSION_ORDER = "iuepbtrzk";
    private static final String MEDIA_ORDER = "ibk";

    private SdpWriter() {
    }

    /** The SDP text of {@code sdp}. */
    public static String write(SessionDescription sdp) {
        StringBuilder out = new StringBuilder(4096);
        line(out, "v=0");
        line(out, "o=" + sdp.origin());
        line(out, "s=" + sdp.sessionName());
        for (char type : SESSION_ORDER.toCharArray()) {
            if (type == 'b' && sdp.connection() != null) {
                line(out, "c=" + sdp.connection());
            }
            if (type == 'r') {
                continue; // written with their t= lines
            }
            for (SdpLine l : sdp.otherLines()) {
                if (l.type() == type || (type == 't' && l.type() == 'r')) {
                    line(out, l.toString());
                }
            }
        }
        for (Group g : sdp.groups()) {
            attr(out, "group:" + g);
        }
        if (sdp.iceLite()) {
            attr(out, "ice-lite");
        }
        writeIce(out, sdp.iceUfrag(), sdp.icePwd(), sdp.iceOptions(), sdp.fingerprints(), sdp.setup());
        if (sdp.extmapAllowMixed()) {
            attr(out, "extmap-allow-mixed");
        }
        if (sdp.msidSemantic() != null) {
            attr(out, "msid-semantic:" + sdp.msidSemantic());
        }
        for (Extmap e : sdp.extmaps()) {
            attr(out, "extmap:" + e);
        }
        for (Attribute a : sdp.otherAttributes()) {
            attr(out, a.text());
        }
        for (MediaDescription m : sdp.media()) {
            writeMedia(out, m);
        }
        return out.toString();
    }

    private static void writeMedia(StringBuilder out, MediaDescription m) {
        StringBuilder mline = new StringBuilder("m=").append(m.kind()).append(' ').append(m.port());
        if (m.portCount() > 0) {
            mline.append('/').append(m.portCount());
        }
        mline.append(' ').append(m.proto());
        for (String f : m.formats()) {
            mline.append(' ').append(f);
        }
        line(out, mline.toString());
        for (char type : MEDIA_ORDER.toCharArray()) {
            if (type == 'b' && m.connection() != null) {
                line(out, "c=" + m.connection());
            }
            for (SdpLine l : m.otherLines()) {
                if (l.type() == type) {
                    line(out, l.toString());
                }
            }
        }
        if (m.rtcp() != null) {
            attr(out, "rtcp:" + m.rtcp());
        }
        for (Candidate c : m.candidates()) {
            attr(out, "candidate:" + c.value());
        }
        if (m.endOfCandidates()) {
            attr(out, "end-of-candidates");
        }
        writeIce(out, m.iceUfrag(), m.icePwd(), m.iceOptions(), m.fingerprints(), m.setup());
        if (m.mid() != null) {
            attr(out, "mid:" + m.mid());
        }
        for (Extmap e : m.extmaps()) {
            attr(out, "extmap:" + e);
        }
        if (m.direction() != null) {
            attr(out, m.direction().token());
        }
        for (Msid msid : m.msids()) {
            attr(out, "msid:" + msid);
        }
        if (m.rtcpMux()) {
            attr(out, "rtcp-mux");
        }
        if (m.rtcpRsize()) {
            attr(out, "rtcp-rsize");
        }
        writeCodecs(out, m);
        for (SsrcGroup g : m.ssrcGroups()) {
            attr(out, "ssrc-group:" + g);
        }
        for (SsrcAttribute s : m.ssrcs()) {
            attr(out, "ssrc:" + s);
        }
        for (Rid r : m.rids()) {
            attr(out, "rid:" + r);
        }
        if (m.simulcast() != null) {
            attr(out, "simulcast:" + m.simulcast());
        }
        for (Attribute a : m.otherAttributes()) {
            attr(out, a.text());
        }
    }

    /** rtpmap, rtcp-fb, fmtp grouped per payload type in rtpmap order; wildcard and unmatched lines after. */
    private static void writeCodecs(StringBuilder out, MediaDescription m) {
        List<RtcpFb> fbLeft = new ArrayList<>(m.rtcpFbs());
        List<Fmtp> fmtpLeft = new ArrayList<>(m.fmtps());
        for (RtpMap map : m.rtpMaps()) {
            attr(out, "rtpmap:" + map);
            String format = Integer.toString(map.payloadType());
            for (var it = fbLeft.iterator(); it.hasNext();) {
                RtcpFb fb = it.next();
                if (fb.format().equals(format)) {
                    attr(out, "rtcp-fb:" + fb);
                    it.remove();
                }
            }
            for (var it = fmtpLeft.iterator(); it.hasNext();) {
                Fmtp f = it.next();
                if (f.format().equals(format)) {
                    attr(out, "fmtp:" + f);
                    it.remove();
                }
            }
        }
        for (RtcpFb fb : fbLeft) {
            attr(out, "rtcp-fb:" + fb);
        }
        for (Fmtp f : fmtpLeft) {
            attr(out, "fmtp:" + f);
        }
    }

    private static void writeIce(StringBuilder out, String ufrag, String pwd, List<String> options,
            List<Fingerprint> fingerprints, Setup setup) {
        if (ufrag != null) {
            attr(out, "ice-ufrag:" + ufrag);
        }
        if (pwd != null) {
            attr(out, "ice-pwd:" + pwd);
        }
        if (!options.isEmpty()) {
            attr(out, "ice-options:" + String.join(" ", options));
        }
        for (Fingerprint f : fingerprints) {
            attr(out, "fingerprint:" + f);
        }
        if (setup != null) {
            attr(out, "setup:" + setup.token());
        }
    }

    private static void attr(StringBuilder out, String text) {
        out.append("a=").append(text).append(CRLF);
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append(CRLF);
    }
}
