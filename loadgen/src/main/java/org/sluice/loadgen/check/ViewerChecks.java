package org.sluice.loadgen.check;

import io.netty.buffer.ByteBuf;
import org.sluice.loadgen.media.PayloadStamp;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.codec.vp8.Vp8PayloadDescriptor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Validates every decrypted RTP packet one viewer receives: the RTP header parses, the payload stamp
 * checks out, the SSRC's sequence line continues, and the added latency is recorded in the loop's
 * {@link LoopStats}, that of video key frames' packets also on its own. Runs on the viewer's event loop;
 * allocates only when a new SSRC appears (bounded).
 */
public final class ViewerChecks {

    /** More SSRCs than this on one viewer are counted as failures, not tracked. */
    public static final int MAX_STREAMS = 64;

    private final LoopStats stats;
    private final LoopStats part;
    private final int videoPayloadType;
    private final RtpPacket view = new RtpPacket();
    private final Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
    private final PayloadStamp stamp = new PayloadStamp();
    private final List<StreamTracker> streams = new ArrayList<>(4);
    private long failures;

    /**
     * Records into {@code stats} and, unless null, into {@code part} too: the same loop's stats of the group of
     * receivers this one belongs to (one part of a run with several), so that its latency and packets are also
     * reported on their own. Latency goes into {@code part} while {@code stats} records it (its window). Packets
     * of {@code videoPayloadType} are VP8, whose key frames' latency is also recorded on its own.
     */
    public ViewerChecks(LoopStats stats, LoopStats part, int videoPayloadType) {
        this.stats = stats;
        this.part = part;
        this.videoPayloadType = videoPayloadType;
    }

    /** One plain RTP packet in {@code packet}'s readable bytes, received at {@code nowNanos}. */
    public void onRtp(ByteBuf packet, long nowNanos) {
        if (!view.wrap(packet)) {
            fail();
            return;
        }
        int start = view.payloadOffset();
        int end = start + view.payloadLength();
        if (stamp.check(packet, start, end) != PayloadStamp.OK) {
            fail();
            return;
        }
        StreamTracker tracker = tracker(view.ssrc());
        if (tracker == null) {
            fail();
            return;
        }
        tracker.onPacket(view.sequenceNumber(), stamp.streamId(), stamp.originSequence());
        boolean keyFrame = view.payloadType() == videoPayloadType && vp8.wrap(packet, start, end - start)
                && tracker.inKeyFrame(view.timestamp(), vp8.isStartOfFrame(), vp8.isKeyFrame());
        long latency = nowNanos - stamp.sendNanos();
        boolean inWindow = stats.recordingLatency();
        stats.onValidPacket(view.payloadLength(), latency, inWindow, keyFrame);
        if (part != null) {
            part.onValidPacket(view.payloadLength(), latency, inWindow, keyFrame);
        }
    }

    private void fail() {
        failures++;
        stats.onStampFailure();
        if (part != null) {
            part.onStampFailure();
        }
    }

    private StreamTracker tracker(long ssrc) {
        for (int i = 0, n = streams.size(); i < n; i++) {
            StreamTracker t = streams.get(i);
            if (t.ssrc() == ssrc) {
                return t;
            }
        }
        if (streams.size() >= MAX_STREAMS) {
            return null;
        }
        StreamTracker t = new StreamTracker(ssrc);
        streams.add(t);
        return t;
    }

    /** Packets that failed a check on this viewer. */
    public long failures() {
        return failures;
    }

    /** The streams seen so far; read on the owning loop. */
    public List<StreamTracker> streams() {
        return Collections.unmodifiableList(streams);
    }
}
