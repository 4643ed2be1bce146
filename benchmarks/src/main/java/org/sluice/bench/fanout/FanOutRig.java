package org.sluice.bench.fanout;

import org.sluice.rtp.ext.ExtensionType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.sluice.core.forward.CodecTable;
import org.sluice.core.forward.ExtensionIds;
import org.sluice.core.forward.InboundStream;
import org.sluice.core.forward.KeyframeRequester;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.forward.MediaSlot;
import org.sluice.core.forward.OutboundStream;
import org.sluice.core.forward.RepairCounters;
import org.sluice.core.net.MediaLoop;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.ext.HeaderExtensions;
import org.sluice.rtp.srtp.SrtpProfile;
import org.sluice.rtp.srtp.SrtpResult;
import org.sluice.rtp.srtp.SrtpSession;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One publisher's stream fanned out, in process, to {@code receivers} SRTP receivers through the
 * production path: one {@link MediaLoop} (index 0, the caller's "here" loop, so every receiver is served
 * directly and no mailbox hand-off happens), a {@link MediaSlot}, the publisher's {@link InboundStream}
 * and one {@link OutboundStream} per receiver with its own {@link SrtpEgressLeg} and its own random SRTP
 * master key. {@link #forwardOnce()} is one publisher packet through {@link InboundStream#forward}.
 *
 * <p>{@link #verify()} (run once by the benchmark's setup) forwards the first packet, checks that every
 * receiver passed its key-frame wait and sent it, and decrypts the first and the last receiver's packet with
 * that receiver's key: SSRC, payload type, sequence continuity, the renumbered dependency descriptor and the
 * payload byte for byte. A rig that fails it throws instead of measuring nothing.
 *
 * <p>The stream's {@link MediaKind} decides whether the media-repair machinery is on: a {@code VIDEO}
 * {@link InboundStream} copies each packet once into a right-sized pooled buffer and keeps it in the loop's
 * {@code PacketCache} for receivers' NACKs; an {@code AUDIO} one forwards the packet as it is and keeps
 * nothing. The same 1200-byte VP8 packet goes through either, so the two differ only by that machinery (and
 * the key-frame gate, passed once). Every {@link OutboundStream} records what it sent for NACK lookups in
 * both cases, and can negotiate RTX ({@code rtx}).
 */
public final class FanOutRig implements AutoCloseable {

    /** The receivers' (renumbered) dependency-descriptor id. */
    public static final int RECEIVER_DEPENDENCY_DESCRIPTOR_ID = 12;
    private static final int RECEIVER_PAYLOAD_TYPE = 96;
    /** The receivers' RTX payload type, when they negotiated RTX. */
    public static final int RECEIVER_RTX_PAYLOAD_TYPE = 97;
    private static final long FIRST_RECEIVER_SSRC = 0x10000000L;
    private static final long FIRST_RECEIVER_RTX_SSRC = 0x20000000L;

    private final EventLoop eventLoop = new DefaultEventLoop();
    private final MediaLoop loop = new MediaLoop(0, eventLoop);
    private final SrtpProfile profile;
    private final PublisherPacket packet;
    private final InboundStream inbound;
    private final MediaSlot slot;
    private final OutboundStream[] outbound;
    private final SrtpEgressLeg[] legs;
    private final byte[][] keys;
    private final byte[][] salts;
    private final RepairCounters counters;

    /** A video rig on the system clock, receivers without RTX: the fan-out as {@code FanOutBenchmark} measures it. */
    public FanOutRig(int receivers, SrtpProfile profile, ByteBufAllocator alloc, long seed) {
        this(receivers, profile, alloc, seed, MediaKind.VIDEO, false, System::nanoTime, new RepairCounters());
    }

    /**
     * @param kind     {@code VIDEO}: packets copied and cached for NACKs; {@code AUDIO}: neither
     * @param rtx      whether the receivers negotiated RTX (payload type {@value #RECEIVER_RTX_PAYLOAD_TYPE})
     * @param clock    the streams' nanosecond clock (what the cache stamps, what a resend is timed against)
     * @param counters the engine's repair counters, shared by every stream of the rig
     */
    public FanOutRig(int receivers, SrtpProfile profile, ByteBufAllocator alloc, long seed, MediaKind kind,
                     boolean rtx, LongSupplier clock, RepairCounters counters) {
        this.profile = profile;
        this.counters = counters;
        SplittableRandom random = new SplittableRandom(seed);
        packet = new PublisherPacket(alloc, random);
        slot = new MediaSlot(kind, 1);
        CodecTable codecs = new CodecTable(Map.of(PublisherPacket.PAYLOAD_TYPE, Codec.VP8));
        String dd = ExtensionType.DEPENDENCY_DESCRIPTOR.uri();
        KeyframeRequester keyframes = new KeyframeRequester(PublisherPacket.SSRC, mediaSsrc -> { },
                clock, KeyframeRequester.DEFAULT_INTERVAL_NANOS);
        inbound = new InboundStream(PublisherPacket.SSRC, kind, slot, codecs,
                ExtensionIds.fromUris(Map.of(dd, PublisherPacket.DEPENDENCY_DESCRIPTOR_ID)),
                PublisherPacket.CLOCK_RATE, keyframes, List.of(loop), counters, clock);
        slot.attachSource(inbound);
        CodecTable receiverCodecs = rtx
                ? new CodecTable(Map.of(RECEIVER_PAYLOAD_TYPE, Codec.VP8),
                        Map.of(RECEIVER_PAYLOAD_TYPE, RECEIVER_RTX_PAYLOAD_TYPE))
                : new CodecTable(Map.of(RECEIVER_PAYLOAD_TYPE, Codec.VP8));
        ExtensionIds receiverIds = ExtensionIds.fromUris(Map.of(dd, RECEIVER_DEPENDENCY_DESCRIPTOR_ID));
        outbound = new OutboundStream[receivers];
        legs = new SrtpEgressLeg[receivers];
        keys = new byte[receivers][];
        salts = new byte[receivers][];
        for (int i = 0; i < receivers; i++) {
            keys[i] = randomBytes(random, profile.masterKeyLength());
            salts[i] = randomBytes(random, profile.masterSaltLength());
            legs[i] = new SrtpEgressLeg(new SrtpSession(profile, keys[i], salts[i]), alloc);
            outbound[i] = new OutboundStream(legs[i], FIRST_RECEIVER_SSRC + i,
                    rtx ? FIRST_RECEIVER_RTX_SSRC + i : -1, slot, receiverCodecs, receiverIds, clock, counters);
            slot.addSink(outbound[i], loop.index());
        }
    }

    /** The next publisher packet, fanned out to every receiver. */
    public void forwardOnce() {
        packet.next();
        inbound.forward(packet.buffer(), packet.view(), loop);
    }

    /**
     * Forwards one packet and checks that it reached every receiver and decrypts correctly for the first and
     * the last one. Throws {@link IllegalStateException} on any mismatch.
     */
    public void verify() {
        int last = legs.length - 1;
        legs[0].captureNext();
        legs[last].captureNext();
        long[] before = new long[legs.length];
        for (int i = 0; i < legs.length; i++) {
            before[i] = legs[i].packets();
        }
        forwardOnce();
        for (int i = 0; i < legs.length; i++) {
            if (legs[i].packets() != before[i] + 1) {
                throw new IllegalStateException("receiver " + i + " did not send the packet (dropped "
                        + outbound[i].packetsDropped() + ")");
            }
        }
        check(0, legs[0].takeCaptured());
        if (last != 0) {
            check(last, legs[last].takeCaptured());
        }
    }

    private void check(int receiver, ByteBuf srtp) {
        try {
            if (srtp == null) {
                throw new IllegalStateException("receiver " + receiver + ": nothing captured");
            }
            SrtpSession decrypt = new SrtpSession(profile, keys[receiver], salts[receiver]);
            SrtpResult result = decrypt.unprotectRtp(srtp);
            require(result == SrtpResult.OK, receiver, "unprotect " + result);
            RtpPacket view = new RtpPacket();
            require(view.wrap(srtp), receiver, "decrypted packet does not parse");
            require(view.ssrc() == FIRST_RECEIVER_SSRC + receiver, receiver, "SSRC");
            require(view.payloadType() == RECEIVER_PAYLOAD_TYPE, receiver, "payload type");
            HeaderExtensions extensions = new HeaderExtensions();
            require(extensions.wrap(view), receiver, "extensions");
            int h = extensions.first();
            require(h >= 0 && extensions.idAt(h) == RECEIVER_DEPENDENCY_DESCRIPTOR_ID && extensions.lengthAt(h) == 3
                    && extensions.next(h) < 0, receiver, "dependency descriptor alone, renumbered");
            RtpPacket source = packet.view();
            require(view.payloadLength() == PublisherPacket.PAYLOAD_LENGTH, receiver, "payload length");
            require(ByteBufUtil.equals(srtp, view.payloadOffset(), packet.buffer(), source.payloadOffset(),
                    PublisherPacket.PAYLOAD_LENGTH), receiver, "payload bytes");
        } finally {
            if (srtp != null) {
                srtp.release();
            }
        }
    }

    /**
     * Asks receiver {@code receiver}'s stream to resend the last packet it sent, as a NACK for it would, and
     * returns whether it did. A resend is decrypted with the receiver's key and checked: on the RTX SSRC with
     * the RTX payload type and the original sequence number ahead of the payload where RTX was negotiated,
     * else the original SSRC, payload type and number; the payload byte for byte.
     */
    public boolean checkResend(int receiver, long nowNanos) {
        SrtpEgressLeg leg = legs[receiver];
        int sequence = leg.lastSequence();
        OutboundStream stream = outbound[receiver];
        leg.captureNext();
        boolean resent = stream.retransmit(sequence, nowNanos);
        ByteBuf srtp = leg.takeCaptured();
        if (!resent) {
            require(srtp == null, receiver, "a packet went out although retransmit said no");
            return false;
        }
        try {
            require(srtp != null, receiver, "retransmit said yes, nothing went out");
            SrtpResult result = new SrtpSession(profile, keys[receiver], salts[receiver]).unprotectRtp(srtp);
            require(result == SrtpResult.OK, receiver, "unprotect resend " + result);
            RtpPacket view = new RtpPacket();
            require(view.wrap(srtp), receiver, "resend does not parse");
            boolean rtx = stream.rtxSsrc() >= 0;
            int payload = view.payloadOffset();
            if (rtx) {
                require(view.ssrc() == stream.rtxSsrc(), receiver, "RTX SSRC");
                require(view.payloadType() == RECEIVER_RTX_PAYLOAD_TYPE, receiver, "RTX payload type");
                require(srtp.getUnsignedShort(payload) == sequence, receiver, "RTX original sequence number");
                payload += 2;
            } else {
                require(view.ssrc() == stream.ssrc(), receiver, "resend SSRC");
                require(view.sequenceNumber() == sequence, receiver, "resend sequence number");
            }
            require(view.payloadOffset() + view.payloadLength() - payload == PublisherPacket.PAYLOAD_LENGTH,
                    receiver, "resend payload length");
            require(ByteBufUtil.equals(srtp, payload, packet.buffer(), packet.view().payloadOffset(),
                    PublisherPacket.PAYLOAD_LENGTH), receiver, "resend payload bytes");
            return true;
        } finally {
            if (srtp != null) {
                srtp.release();
            }
        }
    }

    private static void require(boolean ok, int receiver, String what) {
        if (!ok) {
            throw new IllegalStateException("receiver " + receiver + ": " + what);
        }
    }

    public int receivers() {
        return legs.length;
    }

    /** Packets sent by all receivers' legs together. */
    public long packetsSent() {
        long n = 0;
        for (SrtpEgressLeg leg : legs) {
            n += leg.packets();
        }
        return n;
    }

    /** Whether every receiver's leg has sent exactly as many forwarded packets (resends aside) as the first one's. */
    public boolean receiversInStep() {
        long first = legs[0].packets() - outbound[0].packetsResent();
        for (int i = 0; i < legs.length; i++) {
            if (legs[i].packets() - outbound[i].packetsResent() != first) {
                return false;
            }
        }
        return true;
    }

    /** Receiver {@code i}'s stream. */
    public OutboundStream outbound(int i) {
        return outbound[i];
    }

    /** Receiver {@code i}'s egress leg. */
    public SrtpEgressLeg leg(int i) {
        return legs[i];
    }

    /** The publisher's stream. */
    public InboundStream inbound() {
        return inbound;
    }

    /** The counters every stream of the rig reports to. */
    public RepairCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        for (OutboundStream stream : outbound) {
            slot.removeSink(stream);
        }
        slot.detachSource(inbound);
        inbound.retire(); // the caches release what they hold, on the loop
        packet.release();
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static byte[] randomBytes(SplittableRandom random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
