package org.sluice.core.sdp.negotiation;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.sluice.core.sdp.Direction;

/**
 * The caller's choices for each m-section the negotiator answers: which direction to answer a {@code sendrecv}
 * offer with, and which track the server sends where the answer sends. The negotiator asks in m-section order,
 * once per m-section that can send ({@code recvonly} or {@code sendrecv} offers). A section that would send but gets
 * no track is answered {@code inactive} (or {@code recvonly} for a {@code sendrecv} offer).
 */
public interface AnswerPolicy {

    /** How to answer a {@code sendrecv} offer for {@code mid}; by default we only receive. */
    default Direction answerToSendRecv(String mid, String kind) {
        return Direction.RECVONLY;
    }

    /** The track to send in {@code mid}, or {@code null} for none. */
    default OutboundTrack outboundTrack(String mid, String kind) {
        return null;
    }

    /**
     * Whether an offered data channel section ({@code m=application ... webrtc-datachannel}) is accepted; by
     * default it is answered with port 0.
     */
    default boolean acceptsDataChannels() {
        return false;
    }

    /** Receive what is offered, send nothing (WHIP ingest). */
    static AnswerPolicy receiveOnly() {
        return new AnswerPolicy() {
        };
    }

    /**
     * Send {@code tracks} (WHEP playback): each m-section that can send gets the next unused track of its kind;
     * {@code sendrecv} offers are answered {@code sendDirectionForSendRecv}. The returned policy is used for one
     * negotiation.
     */
    static AnswerPolicy sending(List<OutboundTrack> tracks, Direction sendDirectionForSendRecv) {
        List<OutboundTrack> unused = new ArrayList<>(tracks);
        return new AnswerPolicy() {
            @Override
            public Direction answerToSendRecv(String mid, String kind) {
                return sendDirectionForSendRecv;
            }

            @Override
            public OutboundTrack outboundTrack(String mid, String kind) {
                for (Iterator<OutboundTrack> it = unused.iterator(); it.hasNext();) {
                    OutboundTrack t = it.next();
                    if (t.kind().equals(kind)) {
                        it.remove();
                        return t;
                    }
                }
                return null;
            }
        };
    }
}
