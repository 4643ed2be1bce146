package org.sluice.core.sdp.negotiation;

import java.util.List;
import java.util.Map;
import org.sluice.core.sdp.Attribute;
import org.sluice.core.sdp.Connection;
import org.sluice.core.sdp.Direction;
import org.sluice.core.sdp.MediaDescription;
import org.sluice.core.sdp.Setup;

/**
 * Answers the data channel m-section (RFC 8841): {@code m=application 9 UDP/DTLS/SCTP webrtc-datachannel} with
 * {@code a=sctp-port} and {@code a=max-message-size}, in the BUNDLE with the media. We listen on SCTP port 5000 and
 * take messages up to {@link #MAX_MESSAGE_SIZE}; the offer's port must be 5000 too (what every browser sends), and
 * its max-message-size (0 = any size) limits what we send.
 */
public final class DataChannelAnswer {

    /** The SCTP port both sides use. */
    public static final int SCTP_PORT = 5000;
    /** The largest message we receive, as {@code a=max-message-size}. */
    public static final int MAX_MESSAGE_SIZE = 256 * 1024;

    private DataChannelAnswer() {
    }

    /** The new-style data channel section (RFC 8841) with format {@code webrtc-datachannel}. */
    static boolean isDataChannel(MediaDescription m) {
        return m.kind().equals("application") && m.proto().endsWith("DTLS/SCTP")
                && m.formats().contains("webrtc-datachannel");
    }

    /** The offer's {@code a=max-message-size} (RFC 8841 §6: 65536 when absent, 0 for no limit). */
    public static long offeredMaxMessageSize(MediaDescription m) {
        for (Attribute a : m.otherAttributes()) {
            if (a.name().equals("max-message-size") && a.value() != null) {
                try {
                    return Long.parseLong(a.value().trim());
                } catch (NumberFormatException e) {
                    return 65536;
                }
            }
        }
        return 65536;
    }

    static MediaAnswer.Result answer(LocalCapabilities local, MediaDescription offered, boolean carriesCandidates,
                                     DtlsRole role) {
        for (Attribute a : offered.otherAttributes()) {
            if (a.name().equals("sctp-port") && !String.valueOf(SCTP_PORT).equals(a.value())) {
                return null;
            }
        }
        MediaDescription.Builder b = MediaDescription.builder("application", 9, offered.proto());
        b.formats.add("webrtc-datachannel");
        b.connection = Connection.UNSPECIFIED_IP4;
        if (carriesCandidates) {
            b.candidates.addAll(local.candidates());
            b.endOfCandidates = true;
        }
        b.iceUfrag = local.iceUfrag();
        b.icePwd = local.icePwd();
        b.fingerprints.add(local.fingerprint());
        b.setup = role == DtlsRole.SERVER ? Setup.PASSIVE : Setup.ACTIVE;
        b.mid = offered.mid();
        b.otherAttributes.add(new Attribute("sctp-port", String.valueOf(SCTP_PORT)));
        b.otherAttributes.add(new Attribute("max-message-size", String.valueOf(MAX_MESSAGE_SIZE)));
        NegotiatedMedia summary = new NegotiatedMedia(offered.mid(), "application", false, Direction.SENDRECV,
                List.of(), Map.of(), List.of(), List.of(), null, null, List.of(), null, null);
        return new MediaAnswer.Result(b.build(), summary);
    }
}
