package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.layer.LayerDecision;
import org.sluice.rtp.layer.Vp8Rewriter;
import org.sluice.rtp.layer.Vp8TemporalFilter;
import org.sluice.rtp.layer.Vp9LayerFilter;
import org.sluice.rtp.layer.Vp9Rewriter;

/**
 * One receiver stream's temporal and spatial layer selection within the source it forwards: which packets of a
 * VP8 (temporal layers) or VP9 (SVC: spatial and temporal) stream go out, with which RTP marker, and the payload
 * descriptor they go out with so picture ids and TL0PICIDX stay continuous across the frames left out. Other
 * codecs pass unchanged (H.264 has no layers within a stream; AV1 selection by decode target is not wired yet).
 *
 * <p>The target is set from any thread ({@link #target}); everything else runs on the receiver's loop, where
 * {@link #decide} is asked per packet and {@link #writeDescriptor} writes the receiver's descriptor only when
 * it differs from the source's, so a stream that drops nothing keeps the zero-copy encryption path.
 */
final class LayerSelector {

    /** No limit: every layer the publisher sends. */
    static final int ALL = 7;

    private final Vp8TemporalFilter vp8Filter = new Vp8TemporalFilter();
    private final Vp8Rewriter vp8Rewriter = new Vp8Rewriter();
    private final Vp9LayerFilter vp9Filter = new Vp9LayerFilter();
    private final Vp9Rewriter vp9Rewriter = new Vp9Rewriter();
    /** (spatial << 8) | temporal: the receiver's wish, published by the control plane. */
    private volatile int target = (ALL << 8) | ALL;
    /** (spatial << 8) | temporal: what its bandwidth allows, published by its allocator. */
    private volatile int bandwidthTarget = (ALL << 8) | ALL;
    private int appliedTarget = -1;
    /**
     * Whether the filters and rewriters are in use: from the first limit below every layer until the next source
     * change with no limit. Until then packets pass untouched, as the publisher's decoder-ready stream.
     */
    private boolean engaged;
    private long framesDropped;
    private long packetsDropped;

    /** Limits the layers forwarded: spatial and temporal ids at most these ({@link #ALL} for no limit). */
    void target(int maxSpatial, int maxTemporal) {
        target = (clamp(maxSpatial) << 8) | clamp(maxTemporal);
    }

    /** The bandwidth allocator's limit, applied on top of {@link #target}. */
    void bandwidthTarget(int maxSpatial, int maxTemporal) {
        bandwidthTarget = (clamp(maxSpatial) << 8) | clamp(maxTemporal);
    }

    int wishSpatial() {
        return target >>> 8;
    }

    int wishTemporal() {
        return target & 0xFF;
    }

    /** The spatial limit in force: the lower of the wish and the bandwidth's. */
    int targetSpatial() {
        return Math.min(target >>> 8, bandwidthTarget >>> 8);
    }

    int targetTemporal() {
        return Math.min(target & 0xFF, bandwidthTarget & 0xFF);
    }

    private static int clamp(int id) {
        return Math.max(0, Math.min(ALL, id));
    }

    /**
     * The stream moved to another source, at its keyframe: the next source's ids start where ours left off. With no
     * limit in force the selection disengages: the new source's own ids go out from its keyframe on.
     */
    void rebase() {
        vp8Rewriter.rebase();
        vp8Filter.reset();
        vp9Rewriter.rebase();
        vp9Filter.reset();
        engaged = limited();
    }

    private boolean limited() {
        return targetSpatial() < ALL || targetTemporal() < ALL;
    }

    /**
     * Whether the packet goes out ({@link LayerDecision} flags); a dropped packet is remembered so the ids of the
     * next forwarded frame continue without a gap. {@code waitingForKeyframe}: the stream drops everything until a
     * keyframe anyway, so the filters only follow along.
     */
    int decide(ByteBuf packet, RtpPacket view, Codec codec) {
        if (!engaged) {
            if (!limited()) {
                return LayerDecision.FORWARD | (view.marker() ? LayerDecision.MARKER : 0);
            }
            engaged = true; // from here on ids are ours; the filters wait for a keyframe to start from
        }
        applyTarget();
        int offset = view.payloadOffset();
        int length = view.payloadLength();
        int decision;
        if (codec == Codec.VP8) {
            decision = vp8Filter.decide(packet, offset, length, view.timestamp());
            if (!LayerDecision.isForward(decision)) {
                vp8Rewriter.dropped(packet, offset, length);
            } else if (view.marker()) {
                decision |= LayerDecision.MARKER; // whole frames go or stay: a frame's end is the source's
            }
        } else if (codec == Codec.VP9) {
            decision = vp9Filter.decide(packet, offset, length, view.marker());
            if (!LayerDecision.isForward(decision)) {
                vp9Rewriter.dropped(packet, offset, length);
            }
        } else {
            return LayerDecision.FORWARD | (view.marker() ? LayerDecision.MARKER : 0);
        }
        if (!LayerDecision.isForward(decision)) {
            packetsDropped++;
            if (view.marker()) {
                framesDropped++;
            }
        }
        return decision;
    }

    /**
     * Writes the receiver's payload descriptor for this packet at {@code out}'s writer index when it differs from
     * the source's, and returns the source bytes it replaces: 0 when nothing was written (the source's descriptor
     * is forwarded as it is), -1 when the packet cannot be forwarded (an unparseable descriptor, or a late packet
     * of a frame whose ids are gone).
     */
    int writeDescriptor(ByteBuf packet, RtpPacket view, Codec codec, ByteBuf out) {
        if (!engaged) {
            return 0;
        }
        int offset = view.payloadOffset();
        int length = view.payloadLength();
        int start = out.writerIndex();
        int consumed;
        if (codec == Codec.VP8) {
            consumed = vp8Rewriter.rewrite(packet, offset, length, out);
        } else if (codec == Codec.VP9) {
            consumed = vp9Rewriter.rewrite(packet, offset, length, out);
        } else {
            return 0;
        }
        if (consumed < 0) {
            out.writerIndex(start);
            return -1;
        }
        int written = out.writerIndex() - start;
        if (written == consumed && ByteBufUtil.equals(out, start, packet, offset, written)) {
            out.writerIndex(start); // the same bytes: encrypt straight from the source
            return 0;
        }
        return consumed;
    }

    private void applyTarget() {
        int wish = target;
        int allowed = bandwidthTarget;
        int t = (Math.min(wish >>> 8, allowed >>> 8) << 8) | Math.min(wish & 0xFF, allowed & 0xFF);
        if (t != appliedTarget) {
            appliedTarget = t;
            vp8Filter.setTarget(Math.min(t & 0xFF, Vp8TemporalFilter.MAX_TEMPORAL_ID));
            vp9Filter.setTarget(t >>> 8, t & 0xFF);
        }
    }

    /** Whether the selection waits for a keyframe of its source to start from (it drops until then). */
    boolean waitingForKeyframe(Codec codec) {
        return engaged && (codec == Codec.VP8 ? vp8Filter.current() < 0
                : codec == Codec.VP9 && vp9Filter.currentSpatial() < 0);
    }

    /** Frames left out by the layer target; read racily. */
    long framesDropped() {
        return framesDropped;
    }

    /** Packets left out by the layer target; read racily. */
    long packetsDropped() {
        return packetsDropped;
    }
}
