package org.sluice.rtp.frame;

/**
 * Receives frame events from a {@link FrameTracker}, on the tracker's thread. Arguments are
 * primitives so nothing is allocated per frame.
 */
public interface FrameListener {

    /**
     * A layer frame became complete (every sequence number from its first to its last packet
     * arrived). Called once per frame.
     *
     * @param decodable whether it was decodable at completion; see {@link #onFrameDecodable} for
     *                  frames that become decodable later, when a missing reference arrives
     */
    void onFrameComplete(long rtpTimestamp, int spatialId, int temporalId, boolean keyframe, boolean decodable,
                         int packets, int bytes, long nowNanos);

    /** A complete frame that was not decodable at completion became decodable. Default: ignored. */
    default void onFrameDecodable(long rtpTimestamp, int spatialId, int temporalId, long nowNanos) {
    }
}
