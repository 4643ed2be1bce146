package org.sluice.core.forward;

import java.util.ArrayList;
import java.util.List;

/**
 * One publisher stream as operators see it: how regularly it arrives and, for video, what each of its layers
 * delivers. Taken from what the publisher's loop last published (about twice a second); immutable.
 *
 * @param ssrc                      the publisher's SSRC of the stream
 * @param rid                       its simulcast rid, null when the track is not simulcast
 * @param jitterMillis              RFC 3550 interarrival jitter in milliseconds
 * @param frameDelayVariationMillis frame delay variation in milliseconds, -1 for audio
 * @param layers                    each (spatial, temporal) layer that carries frames, lowest first
 */
public record InboundStreamStats(long ssrc, String rid, double jitterMillis, double frameDelayVariationMillis,
                                 List<LayerStats> layers) {

    public InboundStreamStats {
        layers = List.copyOf(layers);
    }

    /**
     * One layer: what a receiver forwarded it gets, counting the layers it builds on.
     *
     * @param spatial         spatial layer id
     * @param temporal        temporal layer id
     * @param framesPerSecond frame rate of decoding it
     * @param bitrateBps      bitrate with the layers below
     */
    public record LayerStats(int spatial, int temporal, double framesPerSecond, long bitrateBps) {
    }

    /** The figures {@code stream} published last. */
    public static InboundStreamStats of(InboundStream stream, String rid) {
        LayerRates rates = stream.rates();
        List<LayerStats> layers = new ArrayList<>();
        for (int s = 0; s < LayerRates.LAYERS; s++) {
            for (int t = 0; t < LayerRates.LAYERS; t++) {
                double fps = rates.framesPerSecond(s, t);
                boolean carriesFrames = fps > 0 && (t == 0 || fps > rates.framesPerSecond(s, t - 1));
                if (carriesFrames) {
                    layers.add(new LayerStats(s, t, fps, rates.bitsPerSecond(s, t)));
                }
            }
        }
        IngressQuality quality = stream.quality();
        double frameDelay = stream.kind() == MediaKind.VIDEO ? Math.max(0, quality.frameDelayVariationMillis()) : -1;
        return new InboundStreamStats(stream.ssrc(), rid, quality.jitterMillis(), frameDelay, layers);
    }
}
