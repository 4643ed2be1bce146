package org.sluice.core.peer;

import io.netty.buffer.ByteBuf;
import org.sluice.core.forward.InboundStream;
import org.sluice.core.forward.IngressQuality;
import org.sluice.core.forward.InboundStreamStats;
import org.sluice.core.forward.KeyframeRequester;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.forward.MediaSlot;
import org.sluice.core.forward.RepairCounters;
import org.sluice.core.net.MediaLoop;
import org.sluice.core.transport.MediaTransport;
import org.sluice.core.forward.LayerRates;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.ext.ExtensionType;
import org.sluice.rtp.frame.Av1StructureHolder;
import org.sluice.rtp.frame.FrameTracker;
import org.sluice.rtp.frame.LayerStatistics;
import org.sluice.rtp.frame.PacketTag;
import org.sluice.rtp.frame.PacketTagger;
import org.sluice.rtp.ext.HeaderExtensions;
import org.sluice.rtp.nack.NackGenerator;
import org.sluice.rtp.nack.NackSettings;
import org.sluice.rtp.nack.RttFilter;
import org.sluice.rtp.nack.RtxPackets;
import org.sluice.rtp.stats.ReceiverStatistics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The RTP streams one peer sends us, learned on their first packet: by announced SSRC, by the mid header
 * extension or, for a single section, by kind; a section with rids needs the rid extension to tell its layers
 * apart. Per stream it keeps RFC 3550 statistics, packet/octet counters and, where NACK was negotiated, a
 * {@link NackGenerator} whose due sequence numbers the leg sends as NACKs. RTX streams (RFC 4588) are learned
 * too, by FID group or by the repaired-rid extension, and their packets unwrapped in place into the stream they
 * repair. Shared by WHIP publishers and conference participants; confined to the peer transport's loop, except
 * that {@link #useSections} may be called from any thread (renegotiation) and the counters may be read racily.
 */
public final class InboundStreams {

    /** Decides where a newly learned stream goes. Called on the transport's loop. */
    public interface Binder {

        /** The slot the stream of {@code section} (and {@code rid}, null without simulcast) feeds, or null to ignore it. */
        MediaSlot slotFor(MediaSection section, String rid);

        /** The stream was created; attach it to its slot if it should be forwarded now. */
        void onLearned(InboundStream stream, MediaSection section, String rid);

        /**
         * Whether an SSRC {@link #slotFor} refused is ignored for good (the default) or asked about again on its next
         * packet (its section may get a track soon).
         */
        default boolean ignoreForGood(MediaSection section) {
            return true;
        }
    }

    /** Receives the NACKs the streams owe their sender; {@code lost[0..count)} in RTP order. */
    @FunctionalInterface
    public interface NackSink {
        void nack(long mediaSsrc, int[] lost, int count);
    }

    /** One learned stream and what the ingress keeps for it. */
    private static final class Learned {
        final InboundStream stream;
        final MediaSection section;
        final String rid;
        final ReceiverStatistics statistics;
        /** Null for audio and where NACK was not negotiated. */
        final NackGenerator nacks;
        /** Video only: frames assembled from the packets (the jitter buffer as an observer), and their rates. */
        final FrameTracker frames;
        final LayerStatistics layers;
        /** Video only: the dependency descriptor's structure, when the stream carries descriptors. */
        final Av1StructureHolder descriptors;
        /** The dependency descriptor extension's id, 0 when not negotiated. */
        final int descriptorExtensionId;
        long givenUpCounted;
        long packets;
        long octets;

        Learned(InboundStream stream, MediaSection section, String rid, NackGenerator nacks) {
            this.stream = stream;
            this.section = section;
            this.rid = rid;
            this.statistics = new ReceiverStatistics(section.clockRate());
            this.nacks = nacks;
            this.descriptorExtensionId = stream.extensionIds().id(ExtensionType.DEPENDENCY_DESCRIPTOR);
            if (section.kind() == MediaKind.VIDEO) {
                descriptors = new Av1StructureHolder();
                frames = new FrameTracker(FRAME_WINDOW_PACKETS, FRAME_MAX_AGE_NANOS);
                layers = new LayerStatistics();
                frames.setListener(layers);
                if (nacks != null) {
                    nacks.tooLate(frames::isTooLate); // no NACK for a packet whose frame is already useless
                }
            } else {
                descriptors = null;
                frames = null;
                layers = null;
            }
        }

        /** Publishes the per-layer rates measured so far to the stream (for layer choices elsewhere). */
        void publishRates(long nowNanos, MediaQualityObserver observer) {
            double[] fps = new double[LayerRates.LAYERS * LayerRates.LAYERS];
            long[] bps = new long[fps.length];
            for (int sid = 0; sid < LayerRates.LAYERS; sid++) {
                for (int tid = 0; tid < LayerRates.LAYERS; tid++) {
                    double frames = layers.cumulativeFramesPerSecond(sid, tid, nowNanos);
                    long bits = layers.cumulativeBitsPerSecond(sid, tid, nowNanos);
                    fps[sid * LayerRates.LAYERS + tid] = frames;
                    bps[sid * LayerRates.LAYERS + tid] = bits;
                    if (layers.framesPerSecond(sid, tid, nowNanos) > 0) {
                        observer.ingressLayer(sid, tid, frames, bits);
                    }
                }
            }
            stream.publishRates(fps, bps);
        }

        /** Publishes the stream's jitter and frame delay variation (RFC 3550 §6.4.1 on packets and on frames). */
        void publishQuality(MediaQualityObserver observer) {
            if (!statistics.hasValidPackets()) {
                return;
            }
            double jitter = statistics.jitter() * 1000.0 / Math.max(1, statistics.clockRate());
            double frameDelay = layers == null ? -1 : layers.frameDelayVariationMillis();
            stream.publishQuality(new IngressQuality(jitter, frameDelay));
            observer.ingressJitter(jitter, frameDelay);
        }
    }

    private static final int MAX_STREAMS = 16;
    private static final int FRAME_WINDOW_PACKETS = 1024;
    private static final long FRAME_MAX_AGE_NANOS = 1_000_000_000L;
    private static final long RATES_INTERVAL_NANOS = 500_000_000L;
    private static final int MAX_IGNORED = 64;
    private static final Learned[] NONE = new Learned[0];

    private final List<MediaLoop> loops;
    private final LongSupplier nanoClock;
    private final KeyframeRequester.Sink keyframeSink;
    private final Binder binder;
    private final RepairCounters counters;
    private final RttFilter roundTrip;
    private final HeaderExtensions extensions = new HeaderExtensions();
    private final int[] due = new int[128];
    private final PacketTagger tagger = new PacketTagger();
    private final PacketTag tag = new PacketTag();
    private long ratesPublishedNanos;
    private MediaQualityObserver quality = MediaQualityObserver.NONE;
    private volatile List<MediaSection> sections;
    private volatile int transportCcExtensionId;
    private volatile boolean negotiatedRemb;
    private volatile Learned[] learned = NONE;
    /** RTX SSRCs learned and the stream each repairs. */
    private long[] rtxSsrcs = new long[0];
    private Learned[] rtxTargets = NONE;
    private long[] ignoredSsrcs = new long[0];
    private RtpPacket view;
    private volatile long retiredPackets;
    private volatile long retiredOctets;

    public InboundStreams(List<MediaSection> sections, List<MediaLoop> loops, LongSupplier nanoClock,
                          KeyframeRequester.Sink keyframeSink, Binder binder) {
        this(sections, loops, nanoClock, keyframeSink, binder, new RepairCounters(), new RttFilter());
    }

    /**
     * @param counters  where retransmissions, NACKs and keyframe requests are counted
     * @param roundTrip the leg's round-trip estimate: read to space NACK retries, fed with NACK → retransmission
     *                  round trips
     */
    public InboundStreams(List<MediaSection> sections, List<MediaLoop> loops, LongSupplier nanoClock,
                          KeyframeRequester.Sink keyframeSink, Binder binder, RepairCounters counters,
                          RttFilter roundTrip) {
        this.loops = loops;
        this.nanoClock = nanoClock;
        this.keyframeSink = keyframeSink;
        this.binder = binder;
        this.counters = counters;
        this.roundTrip = roundTrip;
        useSections(sections);
    }

    /** Where the streams' layer rates and jitter go as they are published; before packets arrive. */
    public void observeQuality(MediaQualityObserver observer) {
        this.quality = observer;
    }

    /** Replaces the sections streams are learned from (a renegotiation); streams already learned stay. */
    public void useSections(List<MediaSection> next) {
        this.sections = List.copyOf(next);
        int id = 0;
        for (MediaSection section : next) {
            if (section.transportCcExtensionId() > 0) {
                id = section.transportCcExtensionId();
                break;
            }
        }
        transportCcExtensionId = id;
        boolean remb = false;
        for (MediaSection section : next) {
            remb |= section.remb();
        }
        negotiatedRemb = remb;
    }

    /** Whether the peer negotiated goog-remb in any section (it reads the REMB we send). */
    public boolean negotiatedRemb() {
        return negotiatedRemb;
    }

    /** Packets expected of the streams learned now, by their sequence numbers (RFC 3550 A.3); on the loop. */
    public long expectedPackets() {
        long total = 0;
        for (Learned s : learned) {
            total += s.statistics.expected();
        }
        return total;
    }

    /** Packets lost of the streams learned now (RFC 3550 cumulative loss, never below 0); on the loop. */
    public long lostPackets() {
        long total = 0;
        for (Learned s : learned) {
            total += Math.max(0, s.statistics.cumulativeLost());
        }
        return total;
    }

    /** The transport-wide sequence number extension's id (the same in every BUNDLEd section), 0 if none. */
    public int transportCcExtensionId() {
        return transportCcExtensionId;
    }

    /**
     * The stream {@code view} (wrapping a decrypted RTP packet) belongs to, learning it on its first packet, with
     * its statistics updated; null if the packet is not forwarded. An RTX packet is unwrapped in place first:
     * afterwards {@code view} and its buffer hold the original packet (the buffer's reader index moved by two).
     */
    public InboundStream receive(RtpPacket view) {
        long ssrc = view.ssrc();
        Learned stream = find(ssrc);
        boolean repaired = false;
        if (stream == null) {
            if (ignored(ssrc)) {
                return null;
            }
            stream = findRtx(ssrc, view);
            if (stream != null) {
                int repairedType = stream.section.codecs().repairedPayloadType(view.payloadType());
                if (repairedType < 0 || !RtxPackets.unwrapInPlace(view.buffer(), view, repairedType,
                        stream.stream.ssrc())) {
                    return null; // padding (a bandwidth probe) or not RTX of a codec we know
                }
                repaired = true;
            } else {
                stream = learn(view, ssrc);
                if (stream == null) {
                    return null;
                }
            }
        }
        long now = nanoClock.getAsLong();
        if (stream.nacks != null) {
            long sinceNack = stream.nacks.onPacket(view.sequenceNumber(), now);
            if (sinceNack >= 0) {
                roundTrip.add(sinceNack, now);
            }
            if (repaired && !stream.nacks.lastWasNew()) {
                // RTX of a packet we have (a sender's bandwidth probe, or a second answer): receivers have it too.
                counters.retransmissionsUnused.increment();
                return null;
            }
            if (repaired || sinceNack >= 0) { // RTX, or a NACKed packet resent on its own SSRC
                counters.retransmissionsReceived.increment();
                counters.retransmissionBytesReceived.add(view.length());
            }
        }
        stream.statistics.receive(view.sequenceNumber(), view.timestamp(), now);
        if (stream.frames != null) {
            trackFrame(stream, view, now);
        }
        stream.stream.markArrival(now);
        stream.packets++;
        stream.octets += view.payloadLength();
        return stream.stream;
    }

    private void trackFrame(Learned stream, RtpPacket view, long now) {
        Codec codec = stream.section.codecs().codec(view.payloadType());
        int length = view.payloadLength();
        ByteBuf ddBuf = null;
        int ddOffset = 0;
        int ddLength = 0;
        int ddId = stream.descriptorExtensionId;
        if (ddId > 0 && view.hasExtension() && extensions.wrap(view)) {
            int h = extensions.find(ddId);
            if (h >= 0) {
                ddBuf = extensions.buffer();
                ddOffset = h;
                ddLength = extensions.lengthAt(h);
            }
        }
        if (codec != null && length > 0 && tagger.tagWithDescriptor(codec, view.buffer(), view.payloadOffset(), length,
                view.marker(), ddBuf, ddOffset, ddLength, stream.descriptors, tag)) {
            stream.frames.onPacket(view.sequenceNumber(), view.timestamp(), tag, length, now);
        } else {
            stream.frames.onUntaggedPacket(view.sequenceNumber(), now); // padding keeps its place in the window
        }
    }

    /**
     * Passes each stream's due NACKs to {@code sink} and asks for a keyframe where missing packets were given up
     * on. On the transport's loop, from the leg's timer.
     */
    public void collectNacks(long nowNanos, NackSink sink) {
        long rtt = roundTrip.rttNanos();
        boolean publishRates = nowNanos - ratesPublishedNanos >= RATES_INTERVAL_NANOS;
        if (publishRates) {
            ratesPublishedNanos = nowNanos;
        }
        for (Learned s : learned) {
            if (publishRates) {
                if (s.layers != null) {
                    s.publishRates(nowNanos, quality);
                }
                s.publishQuality(quality);
            }
            NackGenerator generator = s.nacks;
            if (generator == null) {
                continue;
            }
            int count = generator.collectDue(nowNanos, rtt, due);
            if (count > 0) {
                sink.nack(s.stream.ssrc(), due, count);
            }
            long givenUp = generator.givenUp();
            if (givenUp != s.givenUpCounted) {
                counters.nacksGivenUp.add(givenUp - s.givenUpCounted);
                s.givenUpCounted = givenUp;
            }
            if (generator.takeKeyframeNeeded() && s.stream.slot().source() == s.stream) {
                s.stream.keyframes().request(RepairCounters.KeyframeCause.LOSS);
            }
        }
    }

    /**
     * Forgets the streams learned for section {@code mid} (its track ended; the same SSRCs may come back for a new
     * one) and the SSRCs ignored so far. On the transport's loop. Their counters stay in {@link #packets()}.
     * Returns the SSRCs forgotten, media and RTX.
     */
    public long[] forgetSection(String mid) {
        Learned[] current = learned;
        Learned[] kept = Arrays.stream(current).filter(s -> !s.section.mid().equals(mid)).toArray(Learned[]::new);
        long[] forgotten = new long[current.length - kept.length + rtxTargets.length];
        int n = 0;
        for (Learned s : current) {
            if (s.section.mid().equals(mid)) {
                retiredPackets += s.packets;
                retiredOctets += s.octets;
                s.stream.retire();
                forgotten[n++] = s.stream.ssrc();
            }
        }
        int keepRtx = 0;
        for (int i = 0; i < rtxTargets.length; i++) {
            if (!rtxTargets[i].section.mid().equals(mid)) {
                keepRtx++;
            } else {
                forgotten[n++] = rtxSsrcs[i];
            }
        }
        long[] nextRtx = new long[keepRtx];
        Learned[] nextTargets = new Learned[keepRtx];
        int j = 0;
        for (int i = 0; i < rtxTargets.length; i++) {
            if (!rtxTargets[i].section.mid().equals(mid)) {
                nextRtx[j] = rtxSsrcs[i];
                nextTargets[j++] = rtxTargets[i];
            }
        }
        rtxSsrcs = nextRtx;
        rtxTargets = nextTargets;
        learned = kept;
        ignoredSsrcs = new long[0];
        return Arrays.copyOf(forgotten, n);
    }

    /** Every learned stream ended (the peer left): their packet caches are released on every loop. */
    public void retireAll() {
        for (Learned s : learned) {
            s.stream.retire();
        }
    }

    /** The m-section of a learned stream, or null. */
    public MediaSection sectionOf(InboundStream stream) {
        for (Learned s : learned) {
            if (s.stream == stream) {
                return s.section;
            }
        }
        return null;
    }

    /** The SSRC of the first learned stream, 0 before any (a media SSRC for transport-wide feedback). */
    public long firstSsrc() {
        Learned[] current = learned;
        return current.length == 0 ? 0 : current[0].stream.ssrc();
    }

    /** The learned streams' figures for operators: jitter and per-layer rates, with their rids (a snapshot). */
    public List<InboundStreamStats> stats() {
        Learned[] current = learned;
        List<InboundStreamStats> out = new java.util.ArrayList<>(current.length);
        for (Learned s : current) {
            out.add(InboundStreamStats.of(s.stream, s.rid));
        }
        return out;
    }

    /** Learned streams (a snapshot). */
    /** Lets each stream's repair window release what waited long enough; on the loop, from the leg's timer. */
    public void flushRepairWindows(long nowNanos, MediaLoop loop) {
        for (Learned s : learned) {
            s.stream.flushRepairWindow(nowNanos, loop);
        }
    }

    public InboundStream[] streams() {
        Learned[] current = learned;
        InboundStream[] out = new InboundStream[current.length];
        for (int i = 0; i < current.length; i++) {
            out[i] = current[i].stream;
        }
        return out;
    }

    /** Packets received of the streams of section {@code mid}; read racily from any thread. */
    public long packetsOf(String mid) {
        long total = 0;
        for (Learned s : learned) {
            if (s.section.mid().equals(mid)) {
                total += s.packets;
            }
        }
        return total;
    }

    /** RTP payload octets received of the streams of section {@code mid}; read racily from any thread. */
    public long octetsOf(String mid) {
        long total = 0;
        for (Learned s : learned) {
            if (s.section.mid().equals(mid)) {
                total += s.octets;
            }
        }
        return total;
    }

    /** Packets received of every stream, forgotten ones included; read racily. */
    public long packets() {
        long total = retiredPackets;
        for (Learned s : learned) {
            total += s.packets;
        }
        return total;
    }

    /** Payload octets received of every stream, forgotten ones included; read racily. */
    public long octets() {
        long total = retiredOctets;
        for (Learned s : learned) {
            total += s.octets;
        }
        return total;
    }

    /** A sender report from the peer: remembered by the stream for our receiver reports and timestamp mapping. */
    public void onSenderReport(long ssrc, long rtpTimestamp, long ntpMiddle32) {
        Learned s = find(ssrc);
        if (s != null) {
            s.stream.onSenderReport(rtpTimestamp, ntpMiddle32, nanoClock.getAsLong());
        }
    }

    /** Sends a receiver report for the learned streams, if there are any. */
    public void sendReceiverReport(RtcpLeg rtcp, MediaTransport transport, long senderSsrc) {
        Learned[] current = learned;
        if (current.length == 0) {
            return;
        }
        InboundStream[] streams = new InboundStream[current.length];
        ReceiverStatistics[] statistics = new ReceiverStatistics[current.length];
        for (int i = 0; i < current.length; i++) {
            streams[i] = current[i].stream;
            statistics[i] = current[i].statistics;
        }
        rtcp.sendReceiverReport(transport, senderSsrc, streams, statistics);
    }

    /** Whether the stream {@code ssrc} negotiated PLI (otherwise its keyframes are asked with FIR). */
    public boolean usesPli(long ssrc) {
        Learned s = find(ssrc);
        return s == null || s.section.pli();
    }

    private Learned find(long ssrc) {
        for (Learned s : learned) {
            if (s.stream.ssrc() == ssrc) {
                return s;
            }
        }
        return null;
    }

    /** The stream an RTX SSRC repairs, learning the RTX SSRC on its first packet; null if it is not RTX. */
    private Learned findRtx(long ssrc, RtpPacket packet) {
        for (int i = 0; i < rtxSsrcs.length; i++) {
            if (rtxSsrcs[i] == ssrc) {
                return rtxTargets[i];
            }
        }
        this.view = packet;
        MediaSection section = sectionOf(ssrc);
        if (section == null || section.codecs().repairedPayloadType(packet.payloadType()) < 0) {
            return null;
        }
        Learned target = null;
        Long repairedSsrc = section.rtxRepairs().get(ssrc);
        if (repairedSsrc != null) {
            target = find(repairedSsrc);
        } else if (section.repairedRidExtensionId() > 0) {
            String rid = readExtension(section.repairedRidExtensionId());
            for (Learned s : learned) {
                if (s.section == section && rid != null && rid.equals(s.rid)) {
                    target = s;
                }
            }
        } else if (section.rids().isEmpty()) {
            for (Learned s : learned) {
                if (s.section.mid().equals(section.mid())) {
                    target = s; // one media stream in the section: the RTX stream can only repair it
                }
            }
        }
        if (target == null || rtxSsrcs.length >= MAX_STREAMS) {
            return null; // not yet: the media stream may be learned by its next packet
        }
        rtxSsrcs = Arrays.copyOf(rtxSsrcs, rtxSsrcs.length + 1);
        rtxSsrcs[rtxSsrcs.length - 1] = ssrc;
        rtxTargets = Arrays.copyOf(rtxTargets, rtxTargets.length + 1);
        rtxTargets[rtxTargets.length - 1] = target;
        return target;
    }

    private boolean ignored(long ssrc) {
        for (long ignored : ignoredSsrcs) {
            if (ignored == ssrc) {
                return true;
            }
        }
        return false;
    }

    /** First packet of an SSRC: find its m-section and layer; null when it is not forwarded. */
    private Learned learn(RtpPacket packet, long ssrc) {
        this.view = packet;
        MediaSection section = sectionOf(ssrc);
        String rid = section == null || section.rids().isEmpty() ? null : readExtension(section.ridExtensionId());
        MediaSlot slot = null;
        boolean rtx = section != null && (section.remoteRtxSsrcs().contains(ssrc)
                || section.codecs().repairedPayloadType(packet.payloadType()) >= 0);
        if (section != null && learned.length < MAX_STREAMS && !rtx && (section.rids().isEmpty() || rid != null)) {
            slot = binder.slotFor(section, rid);
        }
        if (slot == null) {
            if (rtx || (section != null && !binder.ignoreForGood(section))) {
                return null; // RTX is learned once its media stream is; a section may get its track soon
            }
            if (ignoredSsrcs.length < MAX_IGNORED) {
                ignoredSsrcs = Arrays.copyOf(ignoredSsrcs, ignoredSsrcs.length + 1);
                ignoredSsrcs[ignoredSsrcs.length - 1] = ssrc;
            }
            return null;
        }
        InboundStream stream = new InboundStream(ssrc, section.kind(), slot, section.codecs(), section.extensions(),
                section.clockRate(), new KeyframeRequester(ssrc, keyframeSink, nanoClock,
                KeyframeRequester.DEFAULT_INTERVAL_NANOS, counters), loops, counters, nanoClock);
        NackGenerator nacks = section.nack() && section.kind() == MediaKind.VIDEO
                ? new NackGenerator(NackSettings.defaults()) : null;
        Learned entry = new Learned(stream, section, rid, nacks);
        Learned[] grown = Arrays.copyOf(learned, learned.length + 1);
        grown[grown.length - 1] = entry;
        learned = grown;
        binder.onLearned(stream, section, rid);
        return entry;
    }

    private MediaSection sectionOf(long ssrc) {
        List<MediaSection> current = sections;
        for (MediaSection section : current) {
            if (section.remoteSsrcs().contains(ssrc) || section.remoteRtxSsrcs().contains(ssrc)) {
                return section;
            }
        }
        if (view.hasExtension() && extensions.wrap(view)) {
            for (MediaSection section : current) {
                int h = section.midExtensionId() > 0 ? extensions.find(section.midExtensionId()) : -1;
                if (h >= 0 && section.mid().equals(ascii(h, extensions.lengthAt(h)))) {
                    return section;
                }
            }
        }
        // A single section needs no mid to be found.
        return current.size() == 1 ? current.get(0) : null;
    }

    /** The value of an SDES-style extension (mid, rid, repaired rid) of the packet, or null. */
    private String readExtension(int id) {
        if (id <= 0 || !view.hasExtension() || !extensions.wrap(view)) {
            return null;
        }
        int h = extensions.find(id);
        return h < 0 ? null : ascii(h, extensions.lengthAt(h));
    }

    private String ascii(int index, int length) {
        return view.buffer().toString(index, length, StandardCharsets.US_ASCII);
    }
}
