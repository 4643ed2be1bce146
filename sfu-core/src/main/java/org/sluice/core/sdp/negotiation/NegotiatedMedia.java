package org.sluice.core.sdp.negotiation;

import java.util.List;
import java.util.Map;
import org.sluice.core.sdp.Direction;
import org.sluice.core.sdp.Msid;
import org.sluice.core.sdp.Rid;
import org.sluice.core.sdp.Simulcast;
import org.sluice.core.sdp.SsrcGroup;

/**
 * The outcome for one m-section, in offer order.
 *
 * @param mid              the mid (may be null only for a rejected section the offer gave none)
 * @param kind             media type, e.g. {@code audio}, {@code video}, {@code application}
 * @param rejected         whether the answer rejected it (port 0)
 * @param direction        the answer's direction, from our side ({@code recvonly}: we receive)
 * @param codecs           agreed codecs, in offer order (the first is the offerer's preference)
 * @param extensionIds     agreed header extension ids by URI
 * @param remoteSsrcs      SSRCs the offer announces, in order
 * @param remoteSsrcGroups the offer's SSRC groups (FID, SIM)
 * @param remoteCname      the offer's CNAME, or null
 * @param remoteMsid       the offer's msid (a=msid, else from a=ssrc msid), or null
 * @param rids             the offer's RIDs we receive (empty without simulcast)
 * @param simulcast        the offer's a=simulcast when we receive simulcast, else null
 * @param outboundTrack    the track we send here, or null
 */
public record NegotiatedMedia(String mid, String kind, boolean rejected, Direction direction,
        List<NegotiatedCodec> codecs, Map<String, Integer> extensionIds, List<Long> remoteSsrcs,
        List<SsrcGroup> remoteSsrcGroups, String remoteCname, Msid remoteMsid, List<Rid> rids, Simulcast simulcast,
        OutboundTrack outboundTrack) {

    public NegotiatedMedia {
        codecs = List.copyOf(codecs);
        extensionIds = Map.copyOf(extensionIds);
        remoteSsrcs = List.copyOf(remoteSsrcs);
        remoteSsrcGroups = List.copyOf(remoteSsrcGroups);
        rids = List.copyOf(rids);
    }

    /** The id agreed for the extension {@code uri}, or -1. */
    public int extensionId(String uri) {
        Integer id = extensionIds.get(uri);
        return id == null ? -1 : id;
    }

    /** The agreed codec with this payload type, or null. */
    public NegotiatedCodec codec(int payloadType) {
        for (NegotiatedCodec c : codecs) {
            if (c.payloadType() == payloadType) {
                return c;
            }
        }
        return null;
    }
}
