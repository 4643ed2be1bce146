package org.sluice.core.peer;

/**
 * Receives the media quality figures every leg measures, for metrics distributions: per publisher stream about twice
 * a second its layers' rates and its jitter, per receiver report block the loss a receiver reports. Called on the
 * media loops; implementations record and return (no blocking, no allocation).
 */
public interface MediaQualityObserver {

    /** Records nothing. */
    MediaQualityObserver NONE = new MediaQualityObserver() {
        @Override
        public void ingressLayer(int spatial, int temporal, double framesPerSecond, long bitsPerSecond) {
        }

        @Override
        public void ingressJitter(double jitterMillis, double frameDelayVariationMillis) {
        }

        @Override
        public void receiverLoss(int fractionLost) {
        }
    };

    /**
     * One layer of a publisher's video stream that carries frames: frame rate and bitrate of decoding it, counting the
     * layers it builds on.
     */
    void ingressLayer(int spatial, int temporal, double framesPerSecond, long bitsPerSecond);

    /** A publisher stream's RFC 3550 interarrival jitter and, for video, its frame delay variation (-1 for audio). */
    void ingressJitter(double jitterMillis, double frameDelayVariationMillis);

    /** A receiver's report block for one of our streams: its fraction lost, 0..255 (x/256). */
    void receiverLoss(int fractionLost);
}
