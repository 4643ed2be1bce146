package org.sluice.core.sdp.negotiation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sluice.core.sdp.Connection;
import org.sluice.core.sdp.Direction;
import org.sluice.core.sdp.Extmap;
import org.sluice.core.sdp.Fmtp;
import org.sluice.core.sdp.MediaDescription;
import org.sluice.core.sdp.Msid;
import org.sluice.core.sdp.Rid;
import org.sluice.core.sdp.RtcpFb;
import org.sluice.core.sdp.RtpMap;
import org.sluice.core.sdp.SessionDescription;
import org.sluice.core.sdp.Setup;
import org.sluice.core.sdp.Simulcast;
import org.sluice.core.sdp.SsrcAttribute;
import org.sluice.core.sdp.SsrcGroup;

/** Answers one offered audio/video m-section; see {@link SdpNegotiator} for the rules. Used once. */
final class MediaAnswer {

    /** The answer m-section and its summary. */
    record Result(MediaDescription answer, NegotiatedMedia negotiated) {
    }

    private final LocalCapabilities local;
    private final SessionDescription offer;
    private final MediaDescription offered;
    private final AnswerPolicy policy;

    MediaAnswer(LocalCapabilities local, SessionDescription offer, MediaDescription offered, AnswerPolicy policy) {
        this.local = local;
        this.offer = offer;
        this.offered = offered;
        this.policy = policy;
    }

    /**
     * The answer, or {@code null} when no codec is in common. {@code carriesCandidates}: this is the first accepted
     * section (the answer's BUNDLE tag), which lists our candidates.
     */
    Result answer(boolean carriesCandidates, DtlsRole role) {
        List<NegotiatedCodec> codecs = codecs();
        if (codecs.isEmpty()) {
            return null;
        }
        String kind = offered.kind();
        String mid = offered.mid();
        MediaDescription.Builder b = MediaDescription.builder(kind, 9, offered.proto());
        b.connection = Connection.UNSPECIFIED_IP4;
        for (NegotiatedCodec c : codecs) {
            b.formats.add(Integer.toString(c.payloadType()));
            RtpMap offeredMap = offered.rtpMap(c.payloadType());
            b.rtpMaps.add(offeredMap);
            for (String fb : c.feedback()) {
                int sp = fb.indexOf(' ');
                b.rtcpFbs.add(new RtcpFb(Integer.toString(c.payloadType()), sp < 0 ? fb : fb.substring(0, sp),
                        sp < 0 ? null : fb.substring(sp + 1)));
            }
            if (!c.fmtp().isEmpty()) {
                b.fmtps.add(new Fmtp(Integer.toString(c.payloadType()), c.fmtp()));
            }
            if (c.hasRtx()) {
                String rtxPt = Integer.toString(c.rtxPayloadType());
                b.formats.add(rtxPt);
                b.rtpMaps.add(offered.rtpMap(c.rtxPayloadType()));
                b.fmtps.add(new Fmtp(rtxPt, offered.fmtp(rtxPt)));
            }
        }
        if (carriesCandidates) {
            b.candidates.addAll(local.candidates());
            b.endOfCandidates = true;
        }
        b.iceUfrag = local.iceUfrag();
        b.icePwd = local.icePwd();
        b.fingerprints.add(local.fingerprint());
        b.setup = role == DtlsRole.SERVER ? Setup.PASSIVE : Setup.ACTIVE;
        b.mid = mid;
        Map<String, Integer> extensionIds = extensions(b);
        b.rtcpMux = true;
        b.rtcpRsize = offered.rtcpRsize();

        Direction offeredDirection = offered.effectiveDirection();
        Direction direction;
        OutboundTrack track = null;
        switch (offeredDirection) {
            case SENDONLY -> direction = Direction.RECVONLY;
            case RECVONLY -> {
                track = trackOfKind(policy.outboundTrack(mid, kind), kind);
                direction = track != null ? Direction.SENDONLY : Direction.INACTIVE;
            }
            case SENDRECV -> {
                Direction wanted = policy.answerToSendRecv(mid, kind);
                if (wanted == null) {
                    wanted = Direction.RECVONLY;
                }
                if (wanted.sends()) {
                    track = trackOfKind(policy.outboundTrack(mid, kind), kind);
                    if (track == null) {
                        wanted = wanted.receives() ? Direction.RECVONLY : Direction.INACTIVE;
                    }
                }
                direction = wanted;
            }
            default -> direction = Direction.INACTIVE;
        }
        b.direction = direction;
        if (track != null) {
            writeTrack(b, track, codecs.stream().anyMatch(NegotiatedCodec::hasRtx));
        }

        List<Rid> rids = List.of();
        Simulcast simulcast = null;
        if (direction.receives() && offered.simulcast() != null && !offered.simulcast().send().isEmpty()) {
            rids = offeredSendRids(offered.simulcast());
            if (!rids.isEmpty()) {
                simulcast = offered.simulcast();
                for (Rid r : rids) {
                    b.rids.add(new Rid(r.id(), Rid.RidDirection.RECV, null));
                }
                b.simulcast = new Simulcast(List.of(), simulcast.send());
            }
        }

        NegotiatedMedia summary = new NegotiatedMedia(mid, kind, false, direction, codecs, extensionIds,
                remoteSsrcs(), offered.ssrcGroups(), remoteCname(), remoteMsid(), rids, simulcast, track);
        return new Result(b.build(), summary);
    }

    private static OutboundTrack trackOfKind(OutboundTrack t, String kind) {
        return t != null && t.kind().equals(kind) ? t : null;
    }

    /** Offered codecs we support, in offer order, with their RTX and the feedback both support. */
    private List<NegotiatedCodec> codecs() {
        List<NegotiatedCodec> out = new ArrayList<>();
        for (String format : offered.formats()) {
            long pt = parsePt(format);
            RtpMap map = pt < 0 ? null : offered.rtpMap((int) pt);
            if (map == null) {
                continue;
            }
            String offeredFmtp = offered.fmtp(format);
            for (CodecCapability cap : local.codecs()) {
                String answerFmtp = CodecMatcher.answerFmtp(cap, offered.kind(), map, offeredFmtp);
                if (answerFmtp == null) {
                    continue;
                }
                int rtx = cap.rtx() ? rtxFor(map) : -1;
                out.add(new NegotiatedCodec(map.encodingName(), map.payloadType(), map.clockRate(),
                        offered.kind().equals("audio") ? map.channels() : 1, answerFmtp, rtx, feedback(format, cap)));
                break;
            }
        }
        return out;
    }

    private static long parsePt(String format) {
        if (format.isEmpty() || format.length() > 3) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= 127 ? v : -1;
    }

    /** The offered RTX payload type whose {@code apt} is this codec's, or -1. */
    private int rtxFor(RtpMap codec) {
        for (RtpMap m : offered.rtpMaps()) {
            if (m.encodingName().equalsIgnoreCase("rtx") && m.clockRate() == codec.clockRate()
                    && offered.formats().contains(Integer.toString(m.payloadType()))) {
                String apt = Fmtp.parse(offered.fmtp(Integer.toString(m.payloadType()))).get("apt");
                if (Integer.toString(codec.payloadType()).equals(apt)) {
                    return m.payloadType();
                }
            }
        }
        return -1;
    }

    private List<String> feedback(String format, CodecCapability cap) {
        Set<String> out = new LinkedHashSet<>();
        for (RtcpFb fb : offered.rtcpFbs(format)) {
            if (cap.feedback().contains(fb.feedback())) {
                out.add(fb.feedback());
            }
        }
        return List.copyOf(out);
    }

    /** Adds the supported offered extensions (media level, then session level) with the offer's ids. */
    private Map<String, Integer> extensions(MediaDescription.Builder b) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        Set<Integer> usedIds = new LinkedHashSet<>();
        List<Extmap> all = new ArrayList<>(offered.extmaps());
        all.addAll(offer.extmaps());
        for (Extmap e : all) {
            if (e.id() > 255 || !local.headerExtensions().contains(e.uri()) || ids.containsKey(e.uri())
                    || !usedIds.add(e.id())) {
                continue;
            }
            ids.put(e.uri(), e.id());
            b.extmaps.add(new Extmap(e.id(), e.direction() == null ? null : e.direction().reverse(), e.uri(), null));
        }
        return ids;
    }

    private static void writeTrack(MediaDescription.Builder b, OutboundTrack t, boolean rtxNegotiated) {
        b.msids.add(new Msid(t.streamId(), t.trackId()));
        String msid = t.streamId() + " " + t.trackId();
        boolean rtx = rtxNegotiated && t.hasRtx();
        if (rtx) {
            b.ssrcGroups.add(new SsrcGroup("FID", List.of(t.ssrc(), t.rtxSsrc())));
        }
        b.ssrcs.add(new SsrcAttribute(t.ssrc(), "cname", t.cname()));
        b.ssrcs.add(new SsrcAttribute(t.ssrc(), "msid", msid));
        if (rtx) {
            b.ssrcs.add(new SsrcAttribute(t.rtxSsrc(), "cname", t.cname()));
            b.ssrcs.add(new SsrcAttribute(t.rtxSsrc(), "msid", msid));
        }
    }

    /** The offer's send RIDs named in its simulcast send list, in rid order. */
    private List<Rid> offeredSendRids(Simulcast simulcast) {
        Set<String> named = new LinkedHashSet<>();
        for (List<Simulcast.Layer> alternatives : simulcast.send()) {
            for (Simulcast.Layer l : alternatives) {
                named.add(l.rid());
            }
        }
        List<Rid> out = new ArrayList<>();
        for (Rid r : offered.rids()) {
            if (r.direction() == Rid.RidDirection.SEND && named.contains(r.id())) {
                out.add(r);
            }
        }
        return out.size() == named.size() ? out : List.of();
    }

    private List<Long> remoteSsrcs() {
        Set<Long> out = new LinkedHashSet<>();
        for (SsrcAttribute s : offered.ssrcs()) {
            out.add(s.ssrc());
        }
        return List.copyOf(out);
    }

    private String remoteCname() {
        for (SsrcAttribute s : offered.ssrcs()) {
            if (s.attribute().equals("cname")) {
                return s.value();
            }
        }
        return null;
    }

    private Msid remoteMsid() {
        if (!offered.msids().isEmpty()) {
            return offered.msids().get(0);
        }
        for (SsrcAttribute s : offered.ssrcs()) {
            if (s.attribute().equals("msid") && s.value() != null) {
                String[] parts = s.value().trim().split(" ", 3);
                if (!parts[0].isEmpty()) {
                    return new Msid(parts[0], parts.length > 1 ? parts[1] : null);
                }
            }
        }
        return null;
    }
}
