package org.sluice.core.peer;

import org.sluice.core.forward.CodecTable;
import org.sluice.core.forward.ExtensionIds;
import org.sluice.core.forward.MediaKind;

import java.util.List;

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
 */
public record MediaSection(String mid, MediaKind kind, CodecTable codecs, ExtensionIds extensions,
                           int midExtensionId, int ridExtensionId, List<Long> remoteSsrcs,
                           List<Long> remoteRtxSsrcs, List<String> rids, String cname) {

    public int clockRate() {
        return kind == MediaKind.AUDIO ? 48000 : 90000;
    }
}
