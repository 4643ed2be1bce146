package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.codec.av1.Av1DependencyDescriptor;
import org.sluice.rtp.codec.av1.Av1DescriptorResult;
import org.sluice.rtp.ext.HeaderExtensions;
import org.sluice.rtp.layer.Av1LayerFilter;
import org.sluice.rtp.layer.LayerDecision;
import org.sluice.rtp.layer.Vp8Rewriter;
import org.sluice.rtp.layer.Vp8TemporalFilter;
import org.sluice.rtp.layer.Vp9LayerFilter;
import org.sluice.rtp.layer.Vp9Rewriter;

/**
 * One receiver stream's temporal and spatial layer selection within the source it forwards: which packets of a
 * VP8 (temporal layers) or VP9 (SVC: spatial and temporal) stream go out, with which RTP marker, and the payload
 * descriptor they go out with so picture ids and TL0PICIDX stay continuous across the frames left out.
 *
 * <h2>Streams with a dependency descriptor</h2>
 * Where the source negotiated the dependency descriptor and a packet carries one, that descriptor decides for
 * VP8, H.264 and AV1 ({@link Av1LayerFilter}: the decode target within the layer limits, switching at the
 * descriptor's switch points): Chrome's VP8 in scalability mode L1T3 names its temporal layers only there, with
 * a one-byte VP8 payload descriptor. VP8 payload descriptors are still rewritten so picture ids and TL0PICIDX
 * (when the source has them) stay continuous across what is dropped. The descriptor itself is forwarded as it is
 * to receivers that negotiated it, who then decode by it: its frame numbers keep the holes of the frames left
 * out, as the AV1 RTP specification expects of an SFU, and every forwarded frame references only forwarded
 * frames. Receivers that did not negotiate it (the Chromium 156 viewers of the interop test offer none) get no
 * descriptor and decode by the VP8 payload descriptor: Chrome chains frames without a picture id by sequence
 * number, which the {@link SequenceLine} keeps continuous across the frames left out. VP9 keeps its payload descriptor's SVC selection, which carries the same layers. The descriptor's
 * structure (sent on key frames) is learned here from the packets this receiver is offered, so a selection that
 * starts mid-stream continues from every layer to its target at the next switch point without a key frame.
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
    private final HeaderExtensions extensions = new HeaderExtensions();
    private final Av1DependencyDescriptor dependencyDescriptor = new Av1DependencyDescriptor();
    private final Av1LayerFilter descriptorFilter = new Av1LayerFilter();
    private final LayerCounters counters;
    /** The source's id for the dependency descriptor extension, 0 when it has none. */
    private int descriptorExtensionId;
    /** The last packet was decided by its dependency descriptor. */
    private boolean byDescriptor;
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

    LayerSelector() {
        this(new LayerCounters());
    }

    /** @param counters where the engine counts what layer selection leaves out */
    LayerSelector(LayerCounters counters) {
        this.counters = counters;
    }

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
        rebase(0);
    }

    /** As {@link #rebase()}, for a source whose dependency descriptor extension has id {@code descriptorId} (0: none). */
    void rebase(int descriptorId) {
        vp8Rewriter.rebase();
        vp8Filter.reset();
        vp9Rewriter.rebase();
        vp9Filter.reset();
        descriptorFilter.reset();
        dependencyDescriptor.stream().reset();
        descriptorExtensionId = descriptorId;
        byDescriptor = false;
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
        boolean descriptor = codec != null && codec.isVideo() && codec != Codec.VP9 && readDescriptor(view);
        if (!engaged) {
            if (!limited()) {
                return LayerDecision.FORWARD | (view.marker() ? LayerDecision.MARKER : 0);
            }
            engaged = true; // from here on ids are ours; the filters wait for a keyframe to start from
            descriptorFilter.continueFromAll(); // except by descriptor: the receiver had every layer so far
        }
        applyTarget();
        int offset = view.payloadOffset();
        int length = view.payloadLength();
        int decision;
        byDescriptor = descriptor;
        if (descriptor) {
            Av1DependencyDescriptor dd = dependencyDescriptor;
            decision = descriptorFilter.decide(dd, view.marker());
            boolean valid = dd.result() == Av1DescriptorResult.VALID;
            if (!valid) {
                counters.descriptorsUnresolved.increment();
            }
            if (!LayerDecision.isForward(decision)) {
                if (codec == Codec.VP8) {
                    vp8Rewriter.dropped(packet, offset, length, valid ? dd.temporalId() : -1);
                }
                dropped(valid ? dd.isEndOfFrame() : view.marker());
            }
            return decision;
        }
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
            dropped(view.marker());
        }
        return decision;
    }

    private void dropped(boolean endOfFrame) {
        packetsDropped++;
        counters.packetsDropped.increment();
        if (endOfFrame) {
            framesDropped++;
            counters.framesDropped.increment();
        }
    }

    /**
     * Parses the packet's dependency descriptor when the source has one; false when it has none. While nothing is
     * limited only descriptors that may attach a structure (longer than the three mandatory bytes) are read.
     */
    private boolean readDescriptor(RtpPacket view) {
        int id = descriptorExtensionId;
        if (id <= 0 || !view.hasExtension() || !extensions.wrap(view)) {
            return false;
        }
        int h = extensions.find(id);
        if (h < 0) {
            return false;
        }
        int length = extensions.lengthAt(h);
        if (engaged || limited() || length > 3) {
            dependencyDescriptor.parse(extensions.buffer(), h, length);
        }
        return true;
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
            descriptorFilter.setLayerTarget(t >>> 8, t & 0xFF);
        }
    }

    /** Whether the selection waits for a keyframe of its source to start from (it drops until then). */
    boolean waitingForKeyframe(Codec codec) {
        if (!engaged) {
            return false;
        }
        if (byDescriptor) {
            return descriptorFilter.current() < 0;
        }
        return codec == Codec.VP8 ? vp8Filter.current() < 0 : codec == Codec.VP9 && vp9Filter.currentSpatial() < 0;
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
