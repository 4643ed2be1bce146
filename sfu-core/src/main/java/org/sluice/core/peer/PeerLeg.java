package org.sluice.core.peer;

import io.netty.buffer.ByteBuf;
import org.sluice.bandwidth.feedback.TransportCcRecorder;
import org.sluice.core.forward.InboundStream;
import org.sluice.core.forward.KeyframeRequester;
import org.sluice.core.forward.OutboundStream;
import org.sluice.core.forward.RepairCounters;
import org.sluice.core.net.LoopTicker;
import org.sluice.core.net.MediaLoop;
import org.sluice.core.transport.CongestionController;
import org.sluice.core.transport.MediaTransport;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.ext.HeaderExtensions;
import org.sluice.rtp.nack.RttFilter;
import org.sluice.rtp.rtcp.NackView;
import org.sluice.rtp.rtcp.RembView;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackView;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * One peer's media pipeline on its transport's loop, the same for WHIP publishers (ingress only), WHEP viewers
 * (egress only) and conference participants (both); the broadcast and conference packages keep only room logic.
 *
 * <ul>
 *   <li><b>Ingress</b> ({@link #receive}): transport-cc arrival recording, then {@link InboundStreams} (RTX unwrap,
 *       stream lookup, statistics, NACK generator). The caller forwards what comes back.</li>
 *   <li><b>RTCP in</b> ({@link #onRtcp}): one pass over the compound, dispatched by type: SRs to the inbound
 *       streams, report blocks to the outbound streams (round trip), PLI/FIR to keyframe requests, NACKs to the
 *       outbound streams' retransmission from the shared packet cache.</li>
 *   <li><b>RTCP out</b>: a tick every 20 ms (from the loop's {@link MediaLoop#ticker()}, one timer for all the
 *       legs on the loop) sends due NACKs, transport-cc feedback every 50 ms (at
 *       the next tick when packets went missing), and once a second receiver and sender reports and, to a
 *       publisher that negotiated goog-remb, REMB ({@link PublisherRemb}: a receive-side estimate without
 *       transport-cc, and the room's cap).</li>
 * </ul>
 * Control-plane threads hand it immutable snapshots (the outbound streams) through volatile fields; everything
 * else is the loop's.
 */
public final class PeerLeg implements RtcpHandler, KeyframeRequester.Sink {

    private static final long FEEDBACK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LegContext context;
    private final RtcpLeg rtcp;
    private final long rtcpSsrc = ThreadLocalRandom.current().nextLong(1, 0x100000000L);
    private final RttFilter roundTrip = new RttFilter();
    private final InboundStreams ingress;
    private final TransportCcRecorder transportCc;
    private final HeaderExtensions extensions = new HeaderExtensions();
    private final RepairCounters counters;
    private final LongAdder keyframeRequestsSent = new LongAdder();
    private final LongAdder keyframeRequestsReceived = new LongAdder();
    private final LongAdder nacksReceived = new LongAdder();
    private final LongAdder receiverRoundTrips = new LongAdder();
    private final LongAdder rembsSent = new LongAdder();
    private final PublisherRemb remb = new PublisherRemb();
    private volatile LongSupplier publisherCap;
    private final IntConsumer resend = this::resend;
    private final InboundStreams.NackSink nackSink = this::sendNack;
    private volatile MediaTransport transport;
    private volatile List<OutboundStream> outbound = List.of();
    // The loop's.
    private OutboundStream nacked;
    private long nackNanos;
    private long lastFeedbackNanos;
    private long lastReportNanos;
    private int firSequence;
    private final LoopTicker.Member ticking = this::tick;
    /** The loop whose ticker ticks this leg, once started; guarded by this. */
    private MediaLoop tickLoop;
    /** Written under this; read by the tick, which ends the leg's ticking once it is set. */
    private volatile boolean stopped;
    private static final long ALLOCATION_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** What a receiver that gives no feedback is allocated: no bandwidth limit, only liveness picks its layers. */
    private static final long UNESTIMATED_BPS = 10_000_000_000L;
    private final LegAllocator allocator;
    private long lastAllocationNanos;
    /** Whether the allocator moves this leg's streams between layers itself (WHEP) or the control plane does. */
    private volatile boolean movesStreams;
    /** Send-side congestion control toward the peer; created on the loop when the leg starts. */
    private volatile CongestionController congestion;

    /**
     * @param context clocks, our CNAME and the engine's counters
     * @param ingress the streams the peer sends us, or null for a leg that only receives from us (a WHEP viewer);
     *                build it with {@link #ingress(List, java.util.List, InboundStreams.Binder)}
     */
    private PeerLeg(LegContext context, IngressFactory ingress) {
        this.context = context;
        this.counters = context.counters();
        this.rtcp = new RtcpLeg(context.wallClock(), context.nanoClock(), context.cname());
        this.ingress = ingress == null ? null : ingress.create(this);
        if (this.ingress != null) {
            this.ingress.observeQuality(context.quality());
        }
        this.transportCc = ingress == null ? null : new TransportCcRecorder(4096);
        this.allocator = new LegAllocator(context.congestionCounters().bandwidthPauses);
    }

    /** How the leg builds its ingress once it exists (the ingress asks the leg for keyframes). */
    @FunctionalInterface
    private interface IngressFactory {
        InboundStreams create(PeerLeg leg);
    }

    /** A leg that receives the peer's media in {@code sections} and may send it media too. */
    public static PeerLeg receiving(LegContext context, List<MediaSection> sections,
                                    List<org.sluice.core.net.MediaLoop> loops, InboundStreams.Binder binder) {
        PeerLeg leg = new PeerLeg(context, created -> new InboundStreams(sections, loops, context.nanoClock(), created,
                binder, context.counters(), created.roundTrip));
        if (sections.stream().anyMatch(MediaSection::rrtr)) {
            leg.askForReceiverRoundTrips();
        }
        return leg;
    }

    /** A leg that only sends the peer media (a WHEP viewer). */
    public static PeerLeg sendingOnly(LegContext context) {
        return new PeerLeg(context, null);
    }

    public void bind(MediaTransport t) {
        this.transport = t;
    }

    public MediaTransport transport() {
        return transport;
    }

    /** The peer's streams, or null for a sending-only leg. */
    public InboundStreams ingress() {
        return ingress;
    }

    /** The streams we send the peer now (control plane; replaces the snapshot). */
    public void sendTo(List<OutboundStream> streams) {
        this.outbound = List.copyOf(streams);
    }

    public List<OutboundStream> outbound() {
        return outbound;
    }

    /**
     * Starts the leg's ticks (RTCP, allocation, feedback) on the transport's loop once it is connected: the leg
     * joins the loop's {@link MediaLoop#ticker()}. Idempotent.
     */
    public synchronized void start(MediaTransport t) {
        if (stopped || tickLoop != null) {
            return;
        }
        long now = context.nanoClock().getAsLong();
        lastFeedbackNanos = now;
        lastReportNanos = now;
        MediaLoop loop = t.loop();
        loop.eventLoop().execute(() -> startCongestionControl(t));
        loop.ticker().add(ticking);
        tickLoop = loop;
    }

    /**
     * Installs send-side congestion control on the transport (on its loop). It stays idle unless the peer
     * negotiated transport-cc: only then do our streams stamp transport-wide sequence numbers.
     */
    private void startCongestionControl(MediaTransport t) {
        synchronized (this) {
            if (stopped) {
                return;
            }
        }
        CongestionController controller = new CongestionController(context.congestion(), context.nanoClock(),
                t.loop().eventLoop(), t::sendProtected, context.congestionCounters());
        controller.paddingFrom(this::padding);
        t.useCongestionControl(controller);
        congestion = controller;
    }

    /** Probe padding from the first video stream that can send it (RTX negotiated, media sent). */
    private ByteBuf padding(int bytes, int transportSequence) {
        for (OutboundStream stream : outbound) {
            ByteBuf packet = stream.padding(bytes, transportSequence);
            if (packet != null) {
                return packet;
            }
        }
        return null;
    }

    /** Send-side congestion control toward the peer, or null before the leg started. */
    public CongestionController congestion() {
        return congestion;
    }

    /**
     * Stops the ticks and releases what the ingress's packet caches hold; idempotent, any thread. No tick starts
     * after this returns (one under way on the loop may finish).
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        MediaLoop loop = tickLoop;
        if (loop != null) {
            loop.ticker().remove(ticking);
        }
        CongestionController controller = congestion;
        MediaTransport sending = transport;
        if (controller != null && sending != null && sending.loop() != null) {
            try {
                sending.loop().eventLoop().execute(() -> {
                    sending.useCongestionControl(null);
                    controller.close();
                });
            } catch (RejectedExecutionException loopsStopped) {
                // the loop is gone, and with it what the pacer held
            }
        }
        if (ingress != null) {
            MediaTransport t = transport;
            Runnable retire = ingress::retireAll;
            if (t != null && t.loop() != null && !t.loop().inLoop()) {
                try {
                    t.loop().eventLoop().execute(retire);
                } catch (RejectedExecutionException loopsStopped) {
                    retire.run();
                }
            } else {
                retire.run();
            }
        }
    }

    /**
     * A decrypted RTP packet from the peer; {@code view} wraps it. Records its transport-wide sequence number,
     * then returns the stream it belongs to (null: not forwarded). An RTX packet comes back unwrapped in place.
     * On the transport's loop.
     */
    public InboundStream receive(ByteBuf packet, RtpPacket view) {
        if (ingress == null) {
            return null;
        }
        int transportCcId = ingress.transportCcExtensionId();
        if (transportCcId > 0 && view.hasExtension() && extensions.wrap(view)) {
            int h = extensions.find(transportCcId);
            if (h >= 0 && extensions.lengthAt(h) >= 2) {
                transportCc.onPacket(packet.getUnsignedShort(h), context.nanoClock().getAsLong());
            }
        }
        return ingress.receive(view);
    }

    /** A decrypted RTCP compound from the peer; on the transport's loop. */
    public void onRtcp(ByteBuf compound) {
        rtcp.read(compound, this);
    }

    @Override
    public void onSenderReport(long ssrc, long rtpTimestamp, long ntpMiddle32) {
        if (ingress != null) {
            ingress.onSenderReport(ssrc, rtpTimestamp, ntpMiddle32);
        }
    }

    @Override
    public void onReportBlock(long ssrc, int fractionLost, int cumulativeLost, long jitter, long roundTripNanos) {
        OutboundStream stream = outboundBySsrc(ssrc);
        if (stream == null) {
            return;
        }
        stream.receiverReport(fractionLost, cumulativeLost, jitter);
        context.quality().receiverLoss(fractionLost);
        if (roundTripNanos > 0) {
            long now = context.nanoClock().getAsLong();
            roundTrip.add(roundTripNanos, now);
            stream.roundTrip(roundTrip.rttNanos());
            context.roundTrips().accept(roundTripNanos);
            CongestionController controller = congestion;
            if (controller != null) {
                controller.onRoundTrip(roundTrip.rttNanos());
            }
        }
    }

    /** A DLRR answering our RRTR (a peer we only receive from gives its round trip this way, RFC 3611). */
    @Override
    public void onDelaySinceLastReceiverReport(long ssrc, long roundTripNanos) {
        if (ssrc != rtcpSsrc || roundTripNanos <= 0) {
            return;
        }
        roundTrip.add(roundTripNanos, context.nanoClock().getAsLong());
        context.roundTrips().accept(roundTripNanos);
        receiverRoundTrips.increment();
    }

    /**
     * Our receiver reports carry an RRTR, so the peer answers with a DLRR that gives the leg its round trip even
     * when we send it nothing (a publisher); for peers that negotiated {@code rrtr} feedback.
     */
    public void askForReceiverRoundTrips() {
        rtcp.sendReceiverReferenceTime(true);
    }

    /** Round trips measured from the peer's DLRR answers to our RRTRs; any thread. */
    public long receiverRoundTrips() {
        return receiverRoundTrips.sum();
    }

    @Override
    public void onKeyframeRequest(long mediaSsrc) {
        OutboundStream stream = outboundBySsrc(mediaSsrc);
        if (stream != null) {
            keyframeRequestsReceived.increment();
            stream.requestKeyframe();
        }
    }

    @Override
    public void onNack(long mediaSsrc, NackView nack) {
        nacksReceived.increment();
        counters.nacksReceived.increment();
        counters.nackedPacketsReceived.add(nack.lostCount());
        OutboundStream stream = outboundBySsrc(mediaSsrc);
        if (stream == null) {
            return;
        }
        nacked = stream;
        nackNanos = context.nanoClock().getAsLong();
        nack.forEachLost(resend);
        nacked = null;
    }

    @Override
    public void onTransportFeedback(TransportFeedbackView feedback) {
        CongestionController controller = congestion;
        if (controller != null) {
            controller.onTransportFeedback(feedback);
        }
    }

    @Override
    public void onRemb(long bitrateBps) {
        CongestionController controller = congestion;
        if (controller != null) {
            controller.onRemb(bitrateBps);
        }
    }

    private void resend(int sequence) {
        nacked.retransmit(sequence, nackNanos);
    }

    private OutboundStream outboundBySsrc(long ssrc) {
        for (OutboundStream stream : outbound) {
            if (stream.ssrc() == ssrc) {
                return stream;
            }
        }
        return null;
    }

    /** A receiver needs a keyframe of the peer's stream {@code mediaSsrc} (already throttled). Any thread. */
    @Override
    public void requestKeyframe(long mediaSsrc) {
        MediaTransport t = transport;
        if (t == null || t.loop() == null || t.isClosed()) {
            return;
        }
        keyframeRequestsSent.increment();
        try {
            t.loop().eventLoop().execute(() -> sendKeyframeRequest(t, mediaSsrc));
        } catch (RejectedExecutionException loopsStopped) {
            // the engine is closing
        }
    }

    private void sendKeyframeRequest(MediaTransport t, long mediaSsrc) {
        if (ingress == null || ingress.usesPli(mediaSsrc)) {
            rtcp.sendPli(t, rtcpSsrc, mediaSsrc);
        } else {
            rtcp.sendFir(t, rtcpSsrc, mediaSsrc, firSequence++ & 0xFF);
        }
    }

    /** Every 20 ms on the loop, from its ticker; false once the leg stopped (the ticker then drops it). */
    private boolean tick() {
        if (stopped) {
            return false;
        }
        MediaTransport t = transport;
        if (t == null || !t.isConnected()) {
            return true;
        }
        long now = context.nanoClock().getAsLong();
        CongestionController controller = congestion;
        if (controller != null) {
            controller.onTick(now);
        }
        if (now - lastAllocationNanos >= ALLOCATION_INTERVAL_NANOS) {
            lastAllocationNanos = now;
            allocate(t, controller, now);
        }
        List<OutboundStream> streams = outbound;
        for (int i = 0, n = streams.size(); i < n; i++) {
            streams.get(i).settleMove(); // leaves a layer it kept showing until the new one's keyframe (one read if none)
        }
        if (ingress != null) {
            ingress.flushRepairWindows(now, t.loop());
            ingress.collectNacks(now, nackSink);
            if (transportCc.hasUnreported() && (now - lastFeedbackNanos >= FEEDBACK_INTERVAL_NANOS
                    || transportCc.lossSeen())) {
                sendTransportFeedback(t);
                lastFeedbackNanos = now;
            }
        }
        boolean report = now - lastReportNanos >= REPORT_INTERVAL_NANOS;
        LongSupplier capSource = publisherCap;
        if (report && capSource != null) {
            remb.cap(capSource.getAsLong());
        }
        if (ingress != null && ingress.negotiatedRemb() && (report || remb.capChanged())) {
            sendRemb(t, now);
        }
        if (report) {
            lastReportNanos = now;
            if (ingress != null) {
                ingress.sendReceiverReport(rtcp, t, rtcpSsrc);
            }
            rtcp.sendSenderReports(t, outbound);
        }
        return true;
    }

    /**
     * Divides the receiver's estimate over what it receives (no limit while it gives no feedback: then only
     * liveness picks layers), and asks for a probe before an upgrade the estimate does not cover.
     */
    private void allocate(MediaTransport t, CongestionController controller, long now) {
        List<OutboundStream> streams = outbound;
        if (streams.isEmpty() || t.loop() == null) {
            return;
        }
        boolean estimated = controller != null && controller.hasFeedback();
        long available = estimated ? controller.targetBitrateBps() : UNESTIMATED_BPS;
        long probe = allocator.allocate(available, estimated, streams, now, movesStreams, t.loop().index());
        if (estimated) {
            context.estimates().accept(available);
        }
        if (probe > 0 && estimated) {
            controller.requestProbe(probe);
        }
    }

    /** The allocator moves this leg's streams between their layers itself (a WHEP viewer has no control plane doing it). */
    public void moveStreamsByAllocation() {
        this.movesStreams = true;
    }

    /** What the last allocation gave this receiver's streams, in bits per second; read racily. */
    public long allocatedBps() {
        return allocator.allocatedBps();
    }

    private void sendNack(long mediaSsrc, int[] lost, int count) {
        MediaTransport t = transport;
        rtcp.sendNack(t, rtcpSsrc, mediaSsrc, lost, count);
        counters.nacksSent.increment();
        counters.nackedPacketsSent.add(count);
    }

    /** A REMB to the publisher when {@link PublisherRemb} has something to say. */
    private void sendRemb(MediaTransport t, long now) {
        long bps = remb.next(now, ingress.transportCcExtensionId() == 0, ingress.octets(), ingress.expectedPackets(),
                ingress.lostPackets());
        InboundStream[] streams = ingress.streams();
        if (bps < 0 || streams.length == 0) {
            return;
        }
        long[] ssrcs = new long[Math.min(streams.length, 255)];
        for (int i = 0; i < ssrcs.length; i++) {
            ssrcs[i] = streams[i].ssrc();
        }
        ByteBuf out = t.alloc().heapBuffer(24 + 4 * ssrcs.length);
        try {
            RembView.write(out, rtcpSsrc, bps, ssrcs);
            t.sendRtcp(out);
            rembsSent.increment();
            context.congestionCounters().rembsSent.increment();
        } finally {
            out.release();
        }
    }

    /**
     * Caps what the publisher sends in total by REMB ({@link Long#MAX_VALUE} or 0: no cap), where it negotiated
     * goog-remb: a browser then drops its top simulcast layers. Any thread; sent at the next tick.
     */
    public void capPublisherBitrate(long bps) {
        remb.cap(bps);
    }

    /**
     * Where the cap on the publisher's send rate comes from: asked once a second on the leg's loop
     * ({@link Long#MAX_VALUE}: none). Set before the leg starts.
     */
    public void capPublisherBitrateFrom(LongSupplier source) {
        this.publisherCap = source;
    }

    /** The cap on the publisher's send rate now, {@link Long#MAX_VALUE} for none; read racily. */
    public long publisherCapBps() {
        return remb.capBps();
    }

    /** REMB packets sent to the peer; any thread. */
    public long rembsSent() {
        return rembsSent.sum();
    }

    private void sendTransportFeedback(MediaTransport t) {
        ByteBuf out = t.alloc().heapBuffer(256);
        try {
            int packets = transportCc.writeFeedback(out, rtcpSsrc, ingress.firstSsrc());
            if (packets > 0) {
                t.sendRtcp(out);
                counters.transportFeedbackSent.add(packets);
            }
        } finally {
            out.release();
        }
    }

    /** The leg's smoothed round trip in nanoseconds, -1 before the first sample. Read racily. */
    public long roundTripNanos() {
        return roundTrip.rttNanos();
    }

    /** Keyframe requests (PLI or FIR) sent to the peer; any thread. */
    public long keyframeRequestsSent() {
        return keyframeRequestsSent.sum();
    }

    /** PLI/FIR the peer sent for our streams; any thread. */
    public long keyframeRequestsReceived() {
        return keyframeRequestsReceived.sum();
    }

    /** Generic NACK packets the peer sent; any thread. */
    public long nacksReceived() {
        return nacksReceived.sum();
    }
}
