package org.sluice.core.peer;

import org.sluice.core.forward.CodecTable;
import org.sluice.core.forward.ExtensionIds;
import org.sluice.core.forward.MediaKind;

import java.util.List;
import java.util.Map;

/**
 * What the engine keeps of one negotiated m-section: enough to route and rewrite its RTP.
 *
 * @param mid the section's mid
 * @param kind audio or video
 * @param codecs the remote leg's payload types (same numbers in our answer)
 * @param extensions the negotiated extension ids
 * @param midExtensionId id of the mid extension, 0 if not negotiated
 * @param ridExtensionId id of the rtp-stream-id extension, 0 if not negotiated
 * @param remoteSsrcs media SSRCs the remote announced (empty with RID simulcast)
 * @param remoteRtxSsrcs retransmission SSRCs the remote announced (FID groups)
 * @param rids simulcast layers the remote sends, in the order of its a=simulcast line
 * @param cname the remote's CNAME, if announced
 * @param nack whether generic NACK (RFC 4585) was negotiated: we ask the remote to resend, and it may ask us
 * @param pli whether PLI was negotiated; without it keyframes are asked with FIR (RFC 5104)
 * @param transportCcExtensionId id of the transport-wide sequence number extension, 0 if not negotiated
 * @param repairedRidExtensionId id of the repaired-rtp-stream-id extension (RTX of a simulcast layer), 0 if not
 * @param rtxRepairs the remote's RTX SSRC → the media SSRC it repairs (FID groups)
 * @param remb whether goog-remb was negotiated (REMB, draft-alvestrand-rmcat-remb)
 * @param rrtr whether {@code rrtr} feedback was negotiated (RFC 3611 receiver reference time and DLRR answers)
 */
public record MediaSection(String mid, MediaKind kind, CodecTable codecs, ExtensionIds extensions,
                           int midExtensionId, int ridExtensionId, List<Long> remoteSsrcs,
                           List<Long> remoteRtxSsrcs, List<String> rids, String cname, boolean nack, boolean pli,
                           int transportCcExtensionId, int repairedRidExtensionId, Map<Long, Long> rtxRepairs,
                           boolean remb, boolean rrtr) {

    /** Without {@code remb} and {@code rrtr}. */
    public MediaSection(String mid, MediaKind kind, CodecTable codecs, ExtensionIds extensions, int midExtensionId,
                        int ridExtensionId, List<Long> remoteSsrcs, List<Long> remoteRtxSsrcs, List<String> rids,
                        String cname, boolean nack, boolean pli, int transportCcExtensionId,
                        int repairedRidExtensionId, Map<Long, Long> rtxRepairs) {
        this(mid, kind, codecs, extensions, midExtensionId, ridExtensionId, remoteSsrcs, remoteRtxSsrcs, rids, cname,
                nack, pli, transportCcExtensionId, repairedRidExtensionId, rtxRepairs, false, false);
    }

    /** Without {@code rrtr}. */
    public MediaSection(String mid, MediaKind kind, CodecTable codecs, ExtensionIds extensions, int midExtensionId,
                        int ridExtensionId, List<Long> remoteSsrcs, List<Long> remoteRtxSsrcs, List<String> rids,
                        String cname, boolean nack, boolean pli, int transportCcExtensionId,
                        int repairedRidExtensionId, Map<Long, Long> rtxRepairs, boolean remb) {
        this(mid, kind, codecs, extensions, midExtensionId, ridExtensionId, remoteSsrcs, remoteRtxSsrcs, rids, cname,
                nack, pli, transportCcExtensionId, repairedRidExtensionId, rtxRepairs, remb, false);
    }

    public MediaSection {
        remoteSsrcs = List.copyOf(remoteSsrcs);
        remoteRtxSsrcs = List.copyOf(remoteRtxSsrcs);
        rids = List.copyOf(rids);
        rtxRepairs = Map.copyOf(rtxRepairs);
    }

    public int clockRate() {
        return kind == MediaKind.AUDIO ? 48000 : 90000;
    }
}
