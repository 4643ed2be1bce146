package org.sluice.rtp.testing;

import java.util.HexFormat;
import java.util.List;

/**
 * The first 48 packets of a VP8 stream Chromium 156 sent with {@code scalabilityMode: 'L1T3'} at 640x360, 20 fps,
 * captured at Sluice's ingress: RTP sequence number, timestamp, marker, the first eight payload bytes and the
 * dependency descriptor extension. The VP8 payload descriptor is one byte (X=0: no picture id, TL0PICIDX or TID;
 * N set on the non-reference T2 frames); the temporal layers are named only by the dependency descriptor, whose
 * structure (on the key frames) has three decode targets (T0, T0-T1, T0-T2), no chains, a 640x360 resolution and
 * seven templates: T0 key "SSS"; T0 "SSS" fdiff 4; T0 "SRR" fdiff 4; T1 "-SS" fdiff 2; T1 "-DS" fdiffs 4,2;
 * T2 "--D" fdiff 1; T2 "--D" fdiffs 3,1. Frames repeat T0, T2, T1, T2; a second key frame is frame number 31.
 */
public final class ChromeVp8L1T3 {

    /** One captured packet; {@link #payload} holds only the first eight bytes of the payload. */
    public record Packet(int sequenceNumber, long timestamp, boolean marker, byte[] payload, byte[] dependencyDescriptor) {
    }

    /** The dependency descriptor's extension id in the capture (Chrome's offer). */
    public static final int DEPENDENCY_DESCRIPTOR_ID = 13;

    public static final List<Packet> PACKETS = List.of(
            p(20746, 2642976801L, true, "103045009d012a80", "c000018002044eaaaf2860414d34538a0940409fc059c0"),
            p(20747, 2642982831L, true, "301116000d1c240c", "c50002"),
            p(20748, 2642992281L, true, "10111d000c1c240c", "c30003"),
            p(20749, 2643004521L, true, "30911800111c240c", "c50004"),
            p(20750, 2643013341L, true, "10712200e4b8f893", "c20005"),
            p(20751, 2643018471L, true, "30112300151c240c", "c60006"),
            p(20752, 2643022521L, true, "105125000d1c240c", "c40007"),
            p(20753, 2643026931L, true, "30111c00171c240c", "c50008"),
            p(20754, 2643032601L, false, "10513400e4895f59", "810009"),
            p(20755, 2643032601L, true, "00e99ff43741c225", "410009"),
            p(20756, 2643038451L, true, "30111600171c240c", "c5000a"),
            p(20757, 2643044391L, true, "10d115000d1c240c", "c3000b"),
            p(20758, 2643046371L, true, "30d11a00151c240c", "c5000c"),
            p(20759, 2643055731L, false, "10913300e4797f5d", "82000d"),
            p(20760, 2643055731L, true, "008b2591cb0efe70", "42000d"),
            p(20761, 2643060681L, true, "30f12100191c240c", "c6000e"),
            p(20762, 2643064911L, true, "10912a001d1c240c", "c4000f"),
            p(20763, 2643069231L, true, "30f12400191c240c", "c50010"),
            p(20764, 2643074181L, true, "10d13600e4816f75", "c10011"),
            p(20765, 2643078321L, true, "30912700251c240c", "c50012"),
            p(20766, 2643082821L, true, "10b12800211c240c", "c30013"),
            p(20767, 2643087321L, true, "30513000251c240c", "c50014"),
            p(20768, 2643092001L, false, "10914000e4718f61", "820015"),
            p(20769, 2643092001L, true, "001b9ee6dd90c31d", "420015"),
            p(20770, 2643096321L, true, "30712800251c240c", "c60016"),
            p(20771, 2643102531L, true, "10b12a00211c240c", "c40017"),
            p(20772, 2643106311L, false, "30113100251c240c", "850018"),
            p(20773, 2643106311L, true, "2036782081dbf97a", "450018"),
            p(20774, 2643115041L, false, "10b13d00e459bf59", "810019"),
            p(20775, 2643115041L, true, "003ea37c3324019e", "410019"),
            p(20776, 2643120441L, true, "30712f00251c240c", "c5001a"),
            p(20777, 2643133311L, true, "10f12b001f1c240c", "c3001b"),
            p(20778, 2643137631L, true, "30f12b00251c240c", "c5001c"),
            p(20779, 2643142761L, true, "10b13400e441ef71", "c2001d"),
            p(20780, 2643146541L, false, "30d13400251c240c", "86001e"),
            p(20781, 2643146541L, true, "20749b855b602750", "46001e"),
            p(20782, 2643153741L, false, "10104e009d012a80", "80001f8002044eaaaf2860414d34538a0940409fc059c0"),
            p(20783, 2643153741L, true, "0039f236a534c1bb", "40001f"),
            p(20784, 2643155631L, false, "30713f00251c240c", "850020"),
            p(20785, 2643155631L, true, "20a191fea4ca85f9", "450020"),
            p(20786, 2643161391L, true, "101135001e1c240c", "c30021"),
            p(20787, 2643164721L, false, "30914000251c240c", "850022"),
            p(20788, 2643164721L, true, "20a31bb1e3917306", "450022"),
            p(20789, 2643169131L, true, "10911d00e42a1893", "c20023"),
            p(20790, 2643173811L, true, "30b12900251c240c", "c60024"),
            p(20791, 2643178401L, true, "103115001e1c240c", "c40025"),
            p(20792, 2643182721L, false, "30712e00251c240c", "850026"),
            p(20793, 2643182721L, true, "205bcfd1a65fa557", "450026")
    );

    private ChromeVp8L1T3() {
    }

    private static Packet p(int sequenceNumber, long timestamp, boolean marker, String payload, String dd) {
        HexFormat hex = HexFormat.of();
        return new Packet(sequenceNumber, timestamp, marker, hex.parseHex(payload), hex.parseHex(dd));
    }
}
