package org.sluice.core.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.sluice.core.datachannel.DataChannelCounters;
import org.sluice.core.datachannel.DataChannelService;
import org.sluice.core.datachannel.RoomDataRelay;
import org.sluice.core.dtls.DtlsCounters;
import org.sluice.core.engine.SfuEngine;
import org.sluice.core.sctp.SctpCounters;
import org.sluice.core.forward.RepairCounters;
import org.sluice.core.transport.CongestionCounters;
import org.sluice.core.net.NetworkCounters;
import org.sluice.core.net.UdpSocketTable;
import org.sluice.core.transport.TransportCounters;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * Binds a running {@link SfuEngine}'s counters to a Micrometer registry. Every meter reads the engine
 * when scraped; nothing here runs on the packet path. Meter names (Prometheus form in brackets):
 * <ul>
 *   <li>{@code sluice.datagrams.received} [{@code sluice_datagrams_received_total}], {@code sluice.bytes.received}</li>
 *   <li>{@code sluice.packets.dropped} with tag {@code reason}</li>
 *   <li>{@code sluice.srtp.failures} with tag {@code kind} (auth, replay, malformed, srtcp)</li>
 *   <li>{@code sluice.dtls.handshakes}, {@code sluice.dtls.failures}, {@code sluice.dtls.handshake.time}</li>
 *   <li>{@code sluice.transports.opened}, {@code sluice.transports.closed}</li>
 *   <li>gauges {@code sluice.transports.open}, {@code sluice.sessions}, {@code sluice.rooms},
 *       {@code sluice.publishers}, {@code sluice.viewers}</li>
 *   <li>gauges {@code sluice.conference.rooms}, {@code sluice.conference.participants},
 *       {@code sluice.conference.tracks}; counter {@code sluice.dynacast.layer.toggles}; timer {@code sluice.conference.join.latency} (join to connected);
 *       {@code sluice.rtcp.nacks.received}</li>
 *   <li>repair: {@code sluice.nacks.sent}, {@code sluice.nacked.packets.sent|received}, {@code sluice.nacks.given.up},
 *       {@code sluice.retransmissions.sent|received} (and {@code .bytes}), {@code sluice.retransmissions.skipped}
 *       by {@code reason}, {@code sluice.packet.cache.lookups} by {@code result}, gauges
 *       {@code sluice.packet.cache.packets|bytes}, {@code sluice.keyframe.requests} by {@code cause},
 *       {@code sluice.transport.feedback.sent}, and the timer {@code sluice.rtt} (a histogram of round trips to
 *       receivers)</li>
 *   <li>layer selection: {@code sluice.layer.frames.dropped}, {@code sluice.layer.packets.dropped} (above a
 *       receiver's temporal or spatial target), {@code sluice.layer.descriptors.unresolved}</li>
 *   <li>data channels: gauge {@code sluice.datachannels.open}; {@code sluice.datachannel.messages} and
 *       {@code sluice.datachannel.bytes} by {@code direction} (in, out); {@code sluice.datachannel.dropped} by
 *       {@code reason}; {@code sluice.sctp.retransmissions} by {@code kind} (all, fast), {@code sluice.sctp.timeouts},
 *       {@code sluice.sctp.associations} by {@code outcome}</li>
 *   <li>{@code sluice.packets.forwarded}, {@code sluice.bytes.forwarded} (RTP payload octets, WHEP and conference),
 *       {@code sluice.keyframe.requests.sent} (PLIs)</li>
 *   <li>Micrometer's {@code netty.allocator.*} meters of the allocator the media path actually uses (Netty 4.2's
 *       adaptive allocator by default; tag {@code allocator.type})</li>
 * </ul>
 */
public final class EngineMetrics implements MeterBinder {

    private final SfuEngine engine;

    public EngineMetrics(SfuEngine engine) {
        this.engine = engine;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        NetworkCounters network = engine.networkCounters();
        TransportCounters transport = engine.transportCounters();
        bindDataChannels(registry, engine.dataChannels());

        counter(registry, "sluice.datagrams.received", "UDP datagrams read from the media socket",
                network.datagramsIn, null);
        counter(registry, "sluice.bytes.received", "bytes read from the media UDP socket", network.bytesIn, "bytes");
        counter(registry, "sluice.tcp.frames.received", "ICE-TCP frames read", network.tcpFramesIn, null);
        counter(registry, "sluice.packets.sent", "UDP datagrams and ICE-TCP frames sent (media, RTCP, STUN, DTLS)",
                network.packetsOut, null);
        counter(registry, "sluice.bytes.sent", "bytes sent on the media sockets", network.bytesOut, "bytes");
        counter(registry, "sluice.udp.messages.sent", "UDP messages the media loops handed to the kernel themselves; "
                + "a run of datagrams to one peer sent as one segmented message counts once", network.udpMessagesOut,
                null);
        counter(registry, "sluice.udp.segmentation.refused", "segmented UDP messages the kernel refused and took "
                + "datagram by datagram; the socket then stops segmenting", network.udpSegmentationRefusals, null);
        counter(registry, "sluice.tcp.connections.rejected", "ICE-TCP connections refused",
                network.tcpConnectionsRejected, null);
        dropped(registry, "tcp_backpressure", network.tcpBackpressureDrops);
        dropped(registry, "udp_backpressure", network.udpBackpressureDrops);
        dropped(registry, "udp_send_error", network.udpSendErrors);
        bindKernelQueue(registry, engine, new UdpSocketTable(engine.udpPort()));
        dropped(registry, "send_handoff_full", network.handoffDrops);

        dropped(registry, "unknown_sender", transport.unknownSender);
        dropped(registry, "unknown_packet_class", transport.unknownPacketClass);
        dropped(registry, "stun_rejected", transport.stunRejected);
        dropped(registry, "dtls_application_data_without_channels", transport.applicationDataDropped);
        dropped(registry, "stun_malformed", transport.stunMalformed);
        dropped(registry, "dtls_before_ice", transport.dtlsBeforeIce);
        FunctionCounter.builder("sluice.packets.dropped", engine.dtlsCounters(), DtlsCounters::queueFull)
                .description("packets dropped before forwarding, by reason").tag("reason", "dtls_queue_full")
                .register(registry);
        dropped(registry, "media_before_keys", transport.mediaBeforeKeys);
        dropped(registry, "srtp_auth_failed", transport.srtpAuthFailed);
        dropped(registry, "srtp_replayed", transport.srtpReplayed);
        dropped(registry, "srtp_malformed", transport.srtpMalformed);
        dropped(registry, "srtcp_failed", transport.srtcpFailed);
        dropped(registry, "srtp_stream_limit", transport.srtpStreamLimit);

        srtpFailure(registry, "auth", transport.srtpAuthFailed);
        srtpFailure(registry, "replay", transport.srtpReplayed);
        srtpFailure(registry, "malformed", transport.srtpMalformed);
        srtpFailure(registry, "srtcp", transport.srtcpFailed);

        counter(registry, "sluice.dtls.handshakes", "DTLS handshakes completed", transport.dtlsHandshakes, null);
        counter(registry, "sluice.dtls.failures", "DTLS handshakes failed or timed out", transport.dtlsFailures, null);
        FunctionTimer.builder("sluice.dtls.handshake.time", transport,
                        t -> t.dtlsHandshakes.sum(), t -> t.dtlsHandshakeNanos.sum(), TimeUnit.NANOSECONDS)
                .description("time of completed DTLS handshakes")
                .register(registry);
        counter(registry, "sluice.transports.opened", "transports created", transport.transportsOpened, null);
        counter(registry, "sluice.transports.closed", "transports closed", transport.transportsClosed, null);

        gauge(registry, "sluice.transports.open", "transports open now", SfuEngine::openTransports);
        gauge(registry, "sluice.sessions", "WHIP and WHEP sessions live now", SfuEngine::sessionCount);
        gauge(registry, "sluice.rooms", "rooms with a publisher or viewer now", SfuEngine::roomCount);
        gauge(registry, "sluice.publishers", "WHIP sessions live now", SfuEngine::publisherCount);
        gauge(registry, "sluice.viewers", "WHEP sessions live now", SfuEngine::viewerCount);

        gauge(registry, "sluice.conference.rooms", "conference rooms open now", e -> e.conferences().roomCount());
        gauge(registry, "sluice.conference.participants", "conference participants now",
                SfuEngine::participantCount);
        gauge(registry, "sluice.conference.tracks", "tracks published in conference rooms now",
                e -> e.conferences().trackCount());
        FunctionCounter.builder("sluice.dynacast.layer.toggles", engine, SfuEngine::dynacastLayerToggles)
                .description("simulcast layers switched on or off at conference publishers (dynacast)")
                .register(registry);
        FunctionTimer.builder("sluice.conference.join.latency", engine, SfuEngine::conferenceConnects,
                        SfuEngine::conferenceConnectNanos, TimeUnit.NANOSECONDS)
                .description("time from a participant's join to its transport connected")
                .register(registry);
        bindRepair(registry, engine.repairCounters());
        bindCongestion(registry, engine.congestionCounters());

        if (engine.mediaAllocator() instanceof ByteBufAllocatorMetricProvider media) {
            new NettyAllocatorMetrics(media).bindTo(registry);
        }

        FunctionCounter.builder("sluice.packets.forwarded", engine, SfuEngine::packetsForwarded)
                .description("RTP packets forwarded to viewers and conference participants").register(registry);
        FunctionCounter.builder("sluice.bytes.forwarded", engine, SfuEngine::octetsForwarded)
                .description("RTP payload bytes forwarded to viewers and conference participants").baseUnit("bytes")
                .register(registry);
        FunctionCounter.builder("sluice.keyframe.requests.sent", engine, SfuEngine::keyframeRequestsSent)
                .description("PLIs sent to publishers").register(registry);
    }

    /** NACK/RTX both ways, the packet caches, keyframe requests by cause, transport-cc feedback, round trips. */
    private void bindRepair(MeterRegistry registry, RepairCounters repair) {
        counter(registry, "sluice.rtcp.nacks.received", "generic NACK packets received from viewers and participants",
                repair.nacksReceived, null);
        counter(registry, "sluice.nacked.packets.received", "sequence numbers receivers asked to have resent",
                repair.nackedPacketsReceived, null);
        counter(registry, "sluice.retransmissions.sent", "packets resent to receivers from the packet cache",
                repair.retransmissionsSent, null);
        counter(registry, "sluice.retransmissions.sent.bytes", "bytes of packets resent to receivers",
                repair.retransmissionBytesSent, "bytes");
        counter(registry, "sluice.retransmissions.repeated",
                "packets receivers asked for again after they were resent (the resend was lost or late)",
                repair.retransmissionsRepeated, null);
        counter(registry, "sluice.retransmissions.redundant",
                "second copies of resends to receivers that report high loss (counted in retransmissions sent too)",
                repair.retransmissionsRedundant, null);
        skipped(registry, "resent_within_rtt", repair.retransmissionsSuppressed);
        repairWindow(registry, "held", repair.repairWindowHeld);
        repairWindow(registry, "skipped", repair.repairWindowSkipped);
        repairWindow(registry, "late", repair.repairWindowLate);
        repairWindow(registry, "duplicate", repair.repairWindowDuplicates);
        skipped(registry, "rate_limited", repair.retransmissionsRateLimited);
        skipped(registry, "never_sent", repair.nacksForUnsent);
        cacheLookup(registry, "hit", repair.cacheHits);
        cacheLookup(registry, "miss", repair.cacheMisses);
        cacheLookup(registry, "too_old", repair.cacheTooOld);
        Gauge.builder("sluice.packet.cache.packets", repair.cache, c -> c.packets())
                .description("packets held by the packet caches for receivers' NACKs").register(registry);
        Gauge.builder("sluice.packet.cache.bytes", repair.cache, c -> c.bytes()).baseUnit("bytes")
                .description("bytes held by the packet caches for receivers' NACKs").register(registry);

        counter(registry, "sluice.nacks.sent", "generic NACK packets sent to publishers", repair.nacksSent, null);
        counter(registry, "sluice.nacked.packets.sent", "sequence numbers publishers were asked to resend (each try)",
                repair.nackedPacketsSent, null);
        counter(registry, "sluice.nacks.given.up", "missing packets given up on (tries, age, or too late)",
                repair.nacksGivenUp, null);
        counter(registry, "sluice.retransmissions.received", "retransmitted packets received from publishers",
                repair.retransmissionsReceived, null);
        counter(registry, "sluice.retransmissions.received.bytes", "bytes of retransmissions received from publishers",
                repair.retransmissionBytesReceived, "bytes");
        counter(registry, "sluice.retransmissions.received.unused",
                "RTX from publishers of packets already received (their bandwidth probes): not forwarded",
                repair.retransmissionsUnused, null);
        counter(registry, "sluice.transport.feedback.sent", "transport-cc feedback packets sent to publishers",
                repair.transportFeedbackSent, null);
        counter(registry, "sluice.layer.frames.dropped",
                "frames dropped by layer selection (temporal or spatial layers above a receiver's target)",
                repair.layers.framesDropped, null);
        counter(registry, "sluice.layer.packets.dropped", "packets dropped by layer selection",
                repair.layers.packetsDropped, null);
        counter(registry, "sluice.layer.descriptors.unresolved",
                "dependency descriptors a layer selection could not resolve (malformed, or before a structure)",
                repair.layers.descriptorsUnresolved, null);
        dropped(registry, "mailbox_full", repair.mailboxDrops);
        for (RepairCounters.KeyframeCause cause : RepairCounters.KeyframeCause.values()) {
            FunctionCounter.builder("sluice.keyframe.requests", repair, r -> r.keyframeRequests(cause))
                    .description("keyframe requests sent to publishers, by cause")
                    .tag("cause", cause.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
        Timer rtt = Timer.builder("sluice.rtt")
                .description("round trips to receivers measured from their RTCP reports")
                .publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofMillis(1))
                .maximumExpectedValue(java.time.Duration.ofSeconds(5))
                .register(registry);
        engine.observeRoundTrips(nanos -> rtt.record(nanos, TimeUnit.NANOSECONDS));
    }

    /** Send-side congestion control: feedback, probes, the pacers, and the distribution of receivers' estimates. */
    /**
     * What the kernel dropped before the media loops read it (receive queues full: the server fell behind), and what
     * waits in those queues; only where the kernel tells (Linux).
     */
    private static void bindKernelQueue(MeterRegistry registry, SfuEngine engine, UdpSocketTable sockets) {
        if (sockets.drops() < 0) {
            return;
        }
        // Micrometer holds a meter's object weakly: the engine lives as long as the server, the table with it.
        FunctionCounter.builder("sluice.udp.kernel.drops", engine, e -> Math.max(0, sockets.drops()))
                .description("datagrams the kernel dropped on the media UDP port because its receive queues were full")
                .register(registry);
        Gauge.builder("sluice.udp.receive.queue", engine, e -> Math.max(0, sockets.receiveQueueBytes()))
                .description("bytes waiting in the media UDP port's receive queues").baseUnit("bytes")
                .register(registry);
    }

    private static void bindDataChannels(MeterRegistry registry, DataChannelService service) {
        DataChannelCounters c = service.channelCounters();
        SctpCounters sctp = service.sctpCounters();
        RoomDataRelay relay = service.relay();
        Gauge.builder("sluice.datachannels.open", c, DataChannelCounters::channelsOpen)
                .description("data channels open").register(registry);
        function(registry, "sluice.datachannel.messages", "data channel messages", "direction", "in", c,
                DataChannelCounters::messagesIn);
        function(registry, "sluice.datachannel.messages", "data channel messages", "direction", "out", c,
                DataChannelCounters::messagesOut);
        function(registry, "sluice.datachannel.bytes", "data channel message bytes", "direction", "in", c,
                DataChannelCounters::bytesIn);
        function(registry, "sluice.datachannel.bytes", "data channel message bytes", "direction", "out", c,
                DataChannelCounters::bytesOut);
        String drops = "data channel messages and SCTP input dropped, by reason";
        function(registry, "sluice.datachannel.dropped", drops, "reason", "rate_limit", relay,
                RoomDataRelay::droppedRate);
        function(registry, "sluice.datachannel.dropped", drops, "reason", "no_recipient_channel", relay,
                RoomDataRelay::droppedNoChannel);
        function(registry, "sluice.datachannel.dropped", drops, "reason", "recipient_refused", relay,
                RoomDataRelay::droppedRecipientRefused);
        function(registry, "sluice.datachannel.dropped", drops, "reason", "bad_envelope", relay,
                RoomDataRelay::droppedBadEnvelope);
        function(registry, "sluice.datachannel.dropped", drops, "reason", "unknown_recipient", relay,
                RoomDataRelay::droppedUnknownRecipient);
        String socket = "room messages carried over the signaling socket instead of a data channel";
        function(registry, "sluice.data.socket.messages", socket, "direction", "in", relay, RoomDataRelay::socketIn);
        function(registry, "sluice.data.socket.messages", socket, "direction", "out", relay,
                RoomDataRelay::socketOut);
        function(registry, "sluice.datachannel.dropped", drops, "reason", "dcep_malformed", c,
                DataChannelCounters::dcepMalformed);
        function(registry, "sluice.datachannel.dropped", drops, "reason", "unroutable", c,
                DataChannelCounters::messagesUnroutable);
        function(registry, "sluice.datachannel.dropped", drops, "reason", "send_refused", c,
                DataChannelCounters::sendsRefused);
        function(registry, "sluice.datachannel.dropped", drops, "reason", "sctp_malformed", sctp,
                s -> s.packetsMalformed() + s.chunksMalformed());
        function(registry, "sluice.datachannel.dropped", drops, "reason", "sctp_bad_tag", sctp,
                SctpCounters::packetsBadTag);
        function(registry, "sluice.datachannel.dropped", drops, "reason", "sctp_cookie", sctp,
                SctpCounters::cookiesRejected);
        function(registry, "sluice.datachannel.dropped", drops, "reason", "sctp_window", sctp,
                SctpCounters::dataChunksDropped);
        function(registry, "sluice.datachannel.dropped", drops, "reason", "oversize", sctp,
                SctpCounters::messagesOversize);
        function(registry, "sluice.datachannel.dropped", drops, "reason", "abandoned", sctp,
                SctpCounters::messagesAbandoned);
        function(registry, "sluice.sctp.retransmissions", "SCTP DATA chunks sent again", "kind", "all", sctp,
                SctpCounters::retransmissions);
        function(registry, "sluice.sctp.retransmissions", "SCTP DATA chunks sent again", "kind", "fast", sctp,
                SctpCounters::fastRetransmissions);
        function(registry, "sluice.sctp.timeouts", "SCTP retransmission timer expiries", "kind", "t3", sctp,
                SctpCounters::retransmissionTimeouts);
        function(registry, "sluice.sctp.associations", "SCTP associations, by outcome", "outcome", "established", sctp,
                SctpCounters::associationsEstablished);
        function(registry, "sluice.sctp.associations", "SCTP associations, by outcome", "outcome", "timed_out", sctp,
                SctpCounters::associationsTimedOut);
        function(registry, "sluice.sctp.associations", "SCTP associations, by outcome", "outcome", "init_flood", sctp,
                SctpCounters::associationsInitFlood);
        function(registry, "sluice.sctp.associations", "SCTP associations, by outcome", "outcome", "aborted", sctp,
                SctpCounters::associationsAborted);
    }

    private static <T> void function(MeterRegistry registry, String name, String description, String tag,
                                     String value, T source, ToDoubleFunction<T> read) {
        FunctionCounter.builder(name, source, read).description(description).tag(tag, value).register(registry);
    }

    private void bindCongestion(MeterRegistry registry, CongestionCounters congestion) {
        counter(registry, "sluice.transport.feedback.received", "transport-cc feedback and REMB from receivers",
                congestion.feedbackReceived, null);
        counter(registry, "sluice.remb.ignored", "REMBs ignored because the receiver's transport-cc feedback flowed",
                congestion.rembsIgnored, null);
        counter(registry, "sluice.remb.sent", "REMBs sent to publishers (their estimate without transport-cc, or a cap)",
                congestion.rembsSent, null);
        counter(registry, "sluice.publisher.layer.caps", "WHIP publishers capped by REMB until they stopped a simulcast "
                + "layer no viewer could use", congestion.publisherLayerCaps, null);
        counter(registry, "sluice.probe.packets", "padding packets sent in bandwidth probe clusters",
                congestion.probePackets, null);
        counter(registry, "sluice.probe.bytes", "bytes of bandwidth probe padding", congestion.probeBytes, "bytes");
        counter(registry, "sluice.pacer.queued", "media packets that waited in a pacer", congestion.pacedPackets,
                null);
        counter(registry, "sluice.pacer.dropped", "packets a pacer dropped (queued too long or queue full)",
                congestion.pacerDrops, null);
        counter(registry, "sluice.allocation.video.paused", "videos paused for a receiver whose estimate could not "
                + "carry even their lowest layer after audio", congestion.bandwidthPauses, null);
        DistributionSummary estimates = DistributionSummary.builder("sluice.bandwidth.estimate")
                .description("receivers' send-side bandwidth estimates, sampled at each allocation")
                .baseUnit("bits")
                .publishPercentileHistogram()
                .minimumExpectedValue(30_000.0)
                .maximumExpectedValue(50_000_000.0)
                .register(registry);
        engine.observeEstimates(estimates::record);
        engine.observeQuality(new QualityMetrics(registry));
    }

    private static void dropped(MeterRegistry registry, String reason, LongAdder source) {
        tagged(registry, "sluice.packets.dropped", "packets dropped before forwarding, by reason", "reason", reason,
                source);
    }

    private static void srtpFailure(MeterRegistry registry, String kind, LongAdder source) {
        tagged(registry, "sluice.srtp.failures", "SRTP/SRTCP packets that failed to unprotect", "kind", kind, source);
    }

    private static void repairWindow(MeterRegistry registry, String outcome, LongAdder source) {
        tagged(registry, "sluice.repair.window.packets", "broadcast repair window: publisher video packets held "
                + "behind a hole, given up on (skipped), arrived after their hole was given up on (late), or dropped "
                + "as duplicates", "outcome", outcome, source);
    }


    private static void skipped(MeterRegistry registry, String reason, LongAdder source) {
        tagged(registry, "sluice.retransmissions.skipped", "NACKed packets not resent, by reason", "reason", reason,
                source);
    }

    private static void cacheLookup(MeterRegistry registry, String result, LongAdder source) {
        tagged(registry, "sluice.packet.cache.lookups", "packet cache lookups for receivers' NACKs, by result",
                "result", result, source);
    }

    /** A counter of one adder, with one tag. */
    private static void tagged(MeterRegistry registry, String name, String description, String tag, String value,
                               LongAdder source) {
        FunctionCounter.builder(name, source, LongAdder::sum).description(description).tag(tag, value)
                .register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String description, LongAdder source,
                                String baseUnit) {
        FunctionCounter.Builder<LongAdder> builder = FunctionCounter.builder(name, source, LongAdder::sum)
                .description(description);
        if (baseUnit != null) {
            builder.baseUnit(baseUnit);
        }
        builder.register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<SfuEngine> value) {
        Gauge.builder(name, engine, value).description(description).strongReference(true).register(registry);
    }
}
