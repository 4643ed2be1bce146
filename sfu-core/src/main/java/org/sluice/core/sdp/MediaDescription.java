package org.sluice.core.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * One m= section: the {@code m=} line, its {@code c=} line and the attributes the model understands, plus the lines
 * and attributes it keeps verbatim ({@code otherLines}: i=, b=, k=; {@code otherAttributes}: everything else, e.g.
 * {@code a=rtcp-xr}, {@code a=sctp-port}, {@code a=max-message-size}, {@code a=bundle-only}). Optional single values
 * are {@code null} when absent; lists are never null. Build with {@link #builder(String, int, String)}.
 */
public record MediaDescription(
        String kind, int port, int portCount, String proto, List<String> formats,
        List<SdpLine> otherLines, Connection connection,
        String mid, Direction direction, String rtcp, boolean rtcpMux, boolean rtcpRsize,
        String iceUfrag, String icePwd, List<String> iceOptions, List<Fingerprint> fingerprints, Setup setup,
        List<Candidate> candidates, boolean endOfCandidates,
        List<Extmap> extmaps, List<RtpMap> rtpMaps, List<Fmtp> fmtps, List<RtcpFb> rtcpFbs,
        List<SsrcGroup> ssrcGroups, List<SsrcAttribute> ssrcs, List<Msid> msids, List<Rid> rids, Simulcast simulcast,
        List<Attribute> otherAttributes) {

    public MediaDescription {
        formats = List.copyOf(formats);
        otherLines = List.copyOf(otherLines);
        iceOptions = List.copyOf(iceOptions);
        fingerprints = List.copyOf(fingerprints);
        candidates = List.copyOf(candidates);
        extmaps = List.copyOf(extmaps);
        rtpMaps = List.copyOf(rtpMaps);
        fmtps = List.copyOf(fmtps);
        rtcpFbs = List.copyOf(rtcpFbs);
        ssrcGroups = List.copyOf(ssrcGroups);
        ssrcs = List.copyOf(ssrcs);
        msids = List.copyOf(msids);
        rids = List.copyOf(rids);
        otherAttributes = List.copyOf(otherAttributes);
    }

    /** The direction as it applies: the attribute, or {@code sendrecv} when none is written. */
    public Direction effectiveDirection() {
        return direction == null ? Direction.SENDRECV : direction;
    }

    /** The rtpmap of {@code payloadType}, or {@code null}. */
    public RtpMap rtpMap(int payloadType) {
        for (RtpMap m : rtpMaps) {
            if (m.payloadType() == payloadType) {
                return m;
            }
        }
        return null;
    }

    /** The fmtp parameters of {@code format}, or {@code null}. */
    public String fmtp(String format) {
        for (Fmtp f : fmtps) {
            if (f.format().equals(format)) {
                return f.parameters();
            }
        }
        return null;
    }

    /** The rtcp-fb lines for {@code format}, including wildcard ({@code *}) ones. */
    public List<RtcpFb> rtcpFbs(String format) {
        List<RtcpFb> out = new ArrayList<>();
        for (RtcpFb fb : rtcpFbs) {
            if (fb.format().equals(format) || fb.format().equals("*")) {
                out.add(fb);
            }
        }
        return out;
    }

    /** Whether an attribute kept verbatim with this name is present (e.g. {@code bundle-only}). */
    public boolean hasOtherAttribute(String name) {
        for (Attribute a : otherAttributes) {
            if (a.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the offerer wants this section: a port other than 0, or port 0 with {@code a=bundle-only} (RFC 8843
     * §6: an offerer with the {@code max-bundle} policy, Firefox for one, puts every section but the BUNDLE tag on
     * port 0 with {@code bundle-only}; such a section is not rejected).
     */
    public boolean isActive() {
        return port != 0 || hasOtherAttribute("bundle-only");
    }

    /** A builder holding this section's values. */
    public Builder toBuilder() {
        Builder b = new Builder(kind, port, proto);
        b.portCount = portCount;
        b.formats.addAll(formats);
        b.otherLines.addAll(otherLines);
        b.connection = connection;
        b.mid = mid;
        b.direction = direction;
        b.rtcp = rtcp;
        b.rtcpMux = rtcpMux;
        b.rtcpRsize = rtcpRsize;
        b.iceUfrag = iceUfrag;
        b.icePwd = icePwd;
        b.iceOptions.addAll(iceOptions);
        b.fingerprints.addAll(fingerprints);
        b.setup = setup;
        b.candidates.addAll(candidates);
        b.endOfCandidates = endOfCandidates;
        b.extmaps.addAll(extmaps);
        b.rtpMaps.addAll(rtpMaps);
        b.fmtps.addAll(fmtps);
        b.rtcpFbs.addAll(rtcpFbs);
        b.ssrcGroups.addAll(ssrcGroups);
        b.ssrcs.addAll(ssrcs);
        b.msids.addAll(msids);
        b.rids.addAll(rids);
        b.simulcast = simulcast;
        b.otherAttributes.addAll(otherAttributes);
        return b;
    }

    /** A builder for an m= section {@code m=<kind> <port> <proto> ...}. */
    public static Builder builder(String kind, int port, String proto) {
        return new Builder(kind, port, proto);
    }

    /** Mutable builder; public fields keep it short, {@link #build()} copies them into the immutable record. */
    public static final class Builder {
        public String kind;
        public int port;
        public int portCount;
        public String proto;
        public final List<String> formats = new ArrayList<>();
        public final List<SdpLine> otherLines = new ArrayList<>();
        public Connection connection;
        public String mid;
        public Direction direction;
        public String rtcp;
        public boolean rtcpMux;
        public boolean rtcpRsize;
        public String iceUfrag;
        public String icePwd;
        public final List<String> iceOptions = new ArrayList<>();
        public final List<Fingerprint> fingerprints = new ArrayList<>();
        public Setup setup;
        public final List<Candidate> candidates = new ArrayList<>();
        public boolean endOfCandidates;
        public final List<Extmap> extmaps = new ArrayList<>();
        public final List<RtpMap> rtpMaps = new ArrayList<>();
        public final List<Fmtp> fmtps = new ArrayList<>();
        public final List<RtcpFb> rtcpFbs = new ArrayList<>();
        public final List<SsrcGroup> ssrcGroups = new ArrayList<>();
        public final List<SsrcAttribute> ssrcs = new ArrayList<>();
        public final List<Msid> msids = new ArrayList<>();
        public final List<Rid> rids = new ArrayList<>();
        public Simulcast simulcast;
        public final List<Attribute> otherAttributes = new ArrayList<>();

        Builder(String kind, int port, String proto) {
            this.kind = kind;
            this.port = port;
            this.proto = proto;
        }

        public MediaDescription build() {
            return new MediaDescription(kind, port, portCount, proto, formats, otherLines, connection, mid,
                    direction, rtcp, rtcpMux, rtcpRsize, iceUfrag, icePwd, iceOptions, fingerprints, setup,
                    candidates, endOfCandidates, extmaps, rtpMaps, fmtps, rtcpFbs, ssrcGroups, ssrcs, msids, rids,
                    simulcast, otherAttributes);
        }
    }
}
