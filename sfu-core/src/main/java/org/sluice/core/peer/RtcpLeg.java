package org.sluice.core.peer;

import io.netty.buffer.ByteBuf;
import org.sluice.core.forward.InboundStream;
import org.sluice.core.forward.OutboundStream;
import org.sluice.core.forward.SenderReportMapping;
import org.sluice.core.transport.MediaTransport;
import org.sluice.rtp.rtcp.FirView;
import org.sluice.rtp.rtcp.NackView;
import org.sluice.rtp.rtcp.NackWriter;
import org.sluice.rtp.rtcp.ReceiverReportView;
import org.sluice.rtp.rtcp.RembView;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackView;
import org.sluice.rtp.rtcp.PliView;
import org.sluice.rtp.rtcp.ReportBlock;
import org.sluice.rtp.rtcp.ReportWriter;
import org.sluice.rtp.rtcp.RtcpCompoundIterator;
import org.sluice.rtp.rtcp.RtcpPacketType;
import org.sluice.rtp.rtcp.SdesWriter;
import org.sluice.rtp.rtcp.SenderReportView;
import org.sluice.rtp.rtcp.XrView;
import org.sluice.rtp.rtcp.XrWriter;
import org.sluice.rtp.stats.ReceiverStatistics;
import org.sluice.rtp.stats.ReportBlockValues;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * One leg's RTCP, terminated by the SFU: reads what the peer reports (sender reports, keyframe
 * requests) and writes what we owe it (receiver reports, sender reports, PLIs), each as a compound
 * with our CNAME. Owned by one session and used only on its transport's loop.
 */
public final class RtcpLeg {

    /** A sender report seen from the peer. */
    @FunctionalInterface
    public interface SenderReportConsumer {
        void onSenderReport(long ssrc, long rtpTimestamp, long ntpMiddle32);
    }

    private static final int MAX_REPORT_BLOCKS = 31;

    private final Clock wallClock;
    private final LongSupplier nanoClock;
    private final String cname;
    private final RtcpCompoundIterator iterator = new RtcpCompoundIterator();
    private final SenderReportView senderReport = new SenderReportView();
    private final PliView pli = new PliView();
    private final FirView fir = new FirView();
    private final ReceiverReportView receiverReport = new ReceiverReportView();
    private final NackView nack = new NackView();
    private final RembView remb = new RembView();
    private final TransportFeedbackView transportFeedback = new TransportFeedbackView();
    private final ReportBlockValues blockValues = new ReportBlockValues();
    private final XrView xr = new XrView();
    private volatile boolean sendRrtr;
    /** The peer's last RRTR not answered yet (its SSRC, -1 when none): the loop's. */
    private long rrtrSsrc = -1;
    private long rrtrMiddle32;
    private long rrtrArrivalNanos;

    public RtcpLeg(Clock wallClock, LongSupplier nanoClock, String cname) {
        this.wallClock = wallClock;
        this.nanoClock = nanoClock;
        this.cname = cname;
    }

    /**
     * One pass over a decrypted compound packet: each SR, report block, keyframe request, NACK,
     * transport-cc feedback, REMB and XR DLRR goes to {@code handler}; an XR RRTR is kept for the DLRR
     * our next report carries. Malformed packets are skipped; nothing
     * thrown.
     */
    public void read(ByteBuf compound, RtcpHandler handler) {
        if (!iterator.wrap(compound)) {
            return;
        }
        while (iterator.next()) {
            int offset = iterator.offset();
            int length = iterator.length();
            int fmt = iterator.countOrFmt();
            switch (iterator.packetType()) {
                case RtcpPacketType.SR -> {
                    if (senderReport.wrap(compound, offset, length)) {
                        handler.onSenderReport(senderReport.senderSsrc(), senderReport.rtpTimestamp(),
                                senderReport.ntpMiddle32());
                        for (int i = 0; i < senderReport.reportCount(); i++) {
                            handler.onReportBlock(senderReport.blockSsrc(i), senderReport.blockFractionLost(i),
                                    senderReport.blockCumulativeLost(i), senderReport.blockJitter(i),
                                    roundTrip(senderReport.blockLastSr(i), senderReport.blockDelaySinceLastSr(i)));
                        }
                    }
                }
                case RtcpPacketType.RR -> {
                    if (receiverReport.wrap(compound, offset, length)) {
                        for (int i = 0; i < receiverReport.reportCount(); i++) {
                            handler.onReportBlock(receiverReport.blockSsrc(i), receiverReport.blockFractionLost(i),
                                    receiverReport.blockCumulativeLost(i), receiverReport.blockJitter(i),
                                    roundTrip(receiverReport.blockLastSr(i), receiverReport.blockDelaySinceLastSr(i)));
                        }
                    }
                }
                case RtcpPacketType.PSFB -> {
                    if (fmt == RtcpPacketType.FMT_PLI && pli.wrap(compound, offset, length)) {
                        handler.onKeyframeRequest(pli.mediaSsrc());
                    } else if (fmt == RtcpPacketType.FMT_FIR && fir.wrap(compound, offset, length)) {
                        for (int i = 0; i < fir.entryCount(); i++) {
                            handler.onKeyframeRequest(fir.entrySsrc(i));
                        }
                    } else if (fmt == RtcpPacketType.FMT_AFB && remb.wrap(compound, offset, length)) {
                        handler.onRemb(remb.bitrateBps());
                    }
                }
                case RtcpPacketType.RTPFB -> {
                    if (fmt == RtcpPacketType.FMT_NACK && nack.wrap(compound, offset, length)) {
                        handler.onNack(nack.mediaSsrc(), nack);
                    } else if (fmt == RtcpPacketType.FMT_TRANSPORT_CC
                            && transportFeedback.wrap(compound, offset, length)) {
                        handler.onTransportFeedback(transportFeedback);
                    }
                }
                case RtcpPacketType.XR -> {
                    if (xr.wrap(compound, offset, length)) {
                        readExtendedReport(handler);
                    }
                }
                default -> {
                    // SDES, BYE, APP: nothing to act on
                }
            }
        }
    }

    /**
     * An XR packet (RFC 3611): an RRTR is kept for the DLRR our next report carries; each DLRR sub-block answers an
     * RRTR of ours and gives a round trip. Other block types are skipped.
     */
    private void readExtendedReport(RtcpHandler handler) {
        xr.startBlocks();
        while (xr.nextBlock()) {
            if (xr.isRrtr()) {
                rrtrSsrc = xr.senderSsrc();
                rrtrMiddle32 = xr.rrtrNtpMiddle32();
                rrtrArrivalNanos = nanoClock.getAsLong();
            } else if (xr.blockType() == XrView.BT_DLRR) {
                for (int i = 0; i < xr.dlrrCount(); i++) {
                    handler.onDelaySinceLastReceiverReport(xr.dlrrSsrc(i),
                            roundTrip(xr.dlrrLastRr(i), xr.dlrrDelaySinceLastRr(i)));
                }
            }
        }
    }

    /**
     * Whether our receiver reports carry an RRTR (RFC 3611 §4.4), so that a peer we only receive from answers with
     * a DLRR that gives us the round trip (negotiated with {@code a=rtcp-fb:<pt> rrtr}). Any thread.
     */
    public void sendReceiverReferenceTime(boolean enabled) {
        this.sendRrtr = enabled;
    }

    /**
     * Appends our XR packets to a compound from {@code senderSsrc}: an RRTR when enabled and the compound is a receiver
     * report, and a DLRR answering the peer's last RRTR, once, if it sent one. On the loop.
     */
    void writeExtendedReports(ByteBuf out, long senderSsrc, long nowNanos, boolean receiverReport) {
        if (receiverReport && sendRrtr) {
            XrWriter.writeRrtr(out, senderSsrc, NtpTime.fromUnixMillis(wallClock.millis()));
        }
        if (rrtrSsrc < 0) {
            return;
        }
        long delay = Math.min(0xFFFFFFFFL, Math.max(0, nowNanos - rrtrArrivalNanos) * 65536 / 1_000_000_000L);
        XrWriter.writeDlrr(out, senderSsrc, rrtrSsrc, rrtrMiddle32, delay);
        rrtrSsrc = -1;
    }

    /**
     * The round trip a report block gives (RFC 3550 §6.4.1): now − LSR − DLSR, in the middle 32 bits
     * of NTP time; -1 without an SR to refer to, or when the result is not plausible.
     */
    private long roundTrip(long lastSr, long delaySinceLastSr) {
        if (lastSr == 0) {
            return -1;
        }
        long now = NtpTime.middle32(NtpTime.fromUnixMillis(wallClock.millis()));
        long rtt = (now - lastSr - delaySinceLastSr) & 0xFFFFFFFFL;
        if (rtt >= 0x80000000L) {
            return -1; // negative: clock steps or a bogus block
        }
        long nanos = rtt * 1_000_000_000L / 65536;
        return nanos > 60_000_000_000L ? -1 : nanos;
    }

    /** Sends a generic NACK for {@code lost[0..count)} of the peer's stream {@code mediaSsrc}. */
    public void sendNack(MediaTransport transport, long senderSsrc, long mediaSsrc, int[] lost, int count) {
        ByteBuf out = transport.alloc().heapBuffer(16 + 4 * count);
        try {
            if (NackWriter.write(out, senderSsrc, mediaSsrc, lost, 0, count) > 0) {
                transport.sendRtcp(out);
            }
        } finally {
            out.release();
        }
    }

    /** Sends a FIR (RFC 5104) for {@code mediaSsrc} with command sequence number {@code sequence}. */
    public void sendFir(MediaTransport transport, long senderSsrc, long mediaSsrc, int sequence) {
        ByteBuf out = transport.alloc().heapBuffer(64);
        try {
            FirView.write(out, senderSsrc, mediaSsrc, sequence);
            SdesWriter.writeCname(out, senderSsrc, cname);
            transport.sendRtcp(out);
        } finally {
            out.release();
        }
    }

    /** Calls {@code consumer} for each SR in a decrypted compound packet. */
    public void readSenderReports(ByteBuf compound, SenderReportConsumer consumer) {
        if (!iterator.wrap(compound)) {
            return;
        }
        while (iterator.next()) {
            if (iterator.packetType() == RtcpPacketType.SR
                    && senderReport.wrap(compound, iterator.offset(), iterator.length())) {
                consumer.onSenderReport(senderReport.senderSsrc(), senderReport.rtpTimestamp(),
                        senderReport.ntpMiddle32());
            }
        }
    }

    /** Calls {@code consumer} with the media SSRC of each PLI and each FIR entry in the compound. */
    public void readKeyframeRequests(ByteBuf compound, LongConsumer consumer) {
        if (!iterator.wrap(compound)) {
            return;
        }
        while (iterator.next()) {
            if (iterator.packetType() != RtcpPacketType.PSFB) {
                continue;
            }
            int fmt = iterator.countOrFmt();
            if (fmt == RtcpPacketType.FMT_PLI && pli.wrap(compound, iterator.offset(), iterator.length())) {
                consumer.accept(pli.mediaSsrc());
            } else if (fmt == RtcpPacketType.FMT_FIR && fir.wrap(compound, iterator.offset(), iterator.length())) {
                for (int i = 0; i < fir.entryCount(); i++) {
                    consumer.accept(fir.entrySsrc(i));
                }
            }
        }
    }

    /** The generic NACK packets (RFC 4585 §6.2.1) in a decrypted compound. */
    public int countNacks(ByteBuf compound) {
        if (!iterator.wrap(compound)) {
            return 0;
        }
        int nacks = 0;
        while (iterator.next()) {
            if (iterator.packetType() == RtcpPacketType.RTPFB && iterator.countOrFmt() == RtcpPacketType.FMT_NACK) {
                nacks++;
            }
        }
        return nacks;
    }

    /** Sends a PLI for {@code mediaSsrc} to the publisher behind {@code transport}. */
    public void sendPli(MediaTransport transport, long senderSsrc, long mediaSsrc) {
        ByteBuf out = transport.alloc().heapBuffer(64);
        try {
            PliView.write(out, senderSsrc, mediaSsrc);
            SdesWriter.writeCname(out, senderSsrc, cname);
            transport.sendRtcp(out);
        } finally {
            out.release();
        }
    }

    /** Sends an RR with a block per stream (RFC 3550 §6.4.2), with SDES. */
    public void sendReceiverReport(MediaTransport transport, long senderSsrc, InboundStream[] streams,
                                   ReceiverStatistics[] statistics) {
        long now = nanoClock.getAsLong();
        List<ReportBlock> blocks = new ArrayList<>();
        for (int i = 0; i < streams.length && blocks.size() < MAX_REPORT_BLOCKS; i++) {
            if (!statistics[i].hasValidPackets()) {
                continue;
            }
            statistics[i].fillReportBlock(blockValues);
            SenderReportMapping sr = streams[i].senderReport();
            long lastSr = sr == null ? 0 : sr.ntpMiddle32();
            long delay = sr == null ? 0 : Math.min(0xFFFFFFFFL, (now - sr.arrivalNanos()) * 65536 / 1_000_000_000L);
            blocks.add(new ReportBlock(streams[i].ssrc(), blockValues.fractionLost, blockValues.cumulativeLost,
                    blockValues.extendedHighestSequence & 0xFFFFFFFFL, blockValues.jitter & 0xFFFFFFFFL,
                    lastSr, delay));
        }
        ByteBuf out = transport.alloc().heapBuffer(64 + 24 * blocks.size() + XrWriter.RRTR_PACKET_SIZE
                + XrWriter.DLRR_PACKET_SIZE);
        try {
            ReportWriter.writeReceiverReport(out, senderSsrc, blocks);
            SdesWriter.writeCname(out, senderSsrc, cname);
            writeExtendedReports(out, senderSsrc, now, true);
            transport.sendRtcp(out);
        } finally {
            out.release();
        }
    }

    /** Sends an SR for each stream that has sent media, mapping our wall clock onto its RTP line. */
    public void sendSenderReports(MediaTransport transport, List<OutboundStream> streams) {
        long ntp = NtpTime.fromUnixMillis(wallClock.millis());
        long now = nanoClock.getAsLong();
        for (OutboundStream stream : streams) {
            long rtpTimestamp = stream.rtpTimestampAt(now);
            if (!stream.hasSent() || rtpTimestamp < 0) {
                continue;
            }
            ByteBuf out = transport.alloc().heapBuffer(96 + XrWriter.DLRR_PACKET_SIZE);
            try {
                ReportWriter.writeSenderReport(out, stream.ssrc(), ntp, rtpTimestamp, stream.packetsSent() & 0xFFFFFFFFL,
                        stream.octetsSent() & 0xFFFFFFFFL, List.of());
                SdesWriter.writeCname(out, stream.ssrc(), cname);
                writeExtendedReports(out, stream.ssrc(), now, false);
                transport.sendRtcp(out);
            } finally {
                out.release();
            }
        }
    }
}
