package org.sluice.rtp.srtp;

import io.netty.buffer.ByteBuf;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * SRTP and SRTCP for one direction under one master key (RFC 3711, RFC 7714): derives the session keys,
 * keeps per-SSRC state (rollover counter, replay windows, SRTCP index) and protects or unprotects
 * packets in Netty buffers.
 *
 * <p>Unprotect works in place. Any input yields a {@link SrtpResult}, never an exception; on anything but
 * {@link SrtpResult#OK} the session state is unchanged (the rollover counter and the replay window move
 * only after a packet authenticated), and a stream is created only for an SSRC whose packet authenticated.
 *
 * <p>Heap buffers ({@link ByteBuf#hasArray()}) are handed to JCE directly. Other buffers (direct, composite)
 * go through a reusable scratch array: one copy in and one out, through the buffer's own NIO view
 * ({@link ByteBufCopies}), so no allocation even where Netty runs without {@code sun.misc.Unsafe}.
 *
 * <p>Not thread-safe: a session is confined to the event loop of its transport.
 */
public final class SrtpSession {

    private static final long MAX_SRTP_INDEX = (1L << 48) - 1;

    private final SrtpProfile profile;
    private final PacketCipher rtpCipher;
    private final PacketCipher rtcpCipher;
    private final SrtpStreamTable streams;
    /**
     * The stream sent on last: a receiver's packets mostly follow one another on the same SSRC, and going straight to
     * its state saves the table's dependent reads (table, keys, values, stream), each a likely cache miss when a loop
     * seals one packet for hundreds of receivers in turn. A stream retired since is looked up again.
     */
    private SrtpStream lastSent;
    private byte[] scratch = new byte[2048];

    private long authFailures;
    private long replayRefusals;
    private long streamLimitRefusals;
    private long malformed;

    /** A session with {@link SrtpSessionConfig#DEFAULT} limits. */
    public SrtpSession(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        this(profile, masterKey, masterSalt, SrtpSessionConfig.DEFAULT);
    }

    /**
     * A session for {@code profile} keyed by the master key and salt (from DTLS-SRTP keying material).
     *
     * @throws IllegalArgumentException when the key or salt length does not fit the profile
     */
    public SrtpSession(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, SrtpSessionConfig config) {
        this(profile, derive(profile, masterKey, masterSalt, true), derive(profile, masterKey, masterSalt, false),
                config);
    }

    /** As above, with the AEAD profiles on {@code gcm} (tests cross-check the backends). */
    SrtpSession(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, SrtpSessionConfig config, GcmBackend gcm) {
        this(profile, derive(profile, masterKey, masterSalt, true), derive(profile, masterKey, masterSalt, false),
                config, gcm);
    }

    /** A session over session keys given directly (the RFC 7714 test vectors skip the derivation). */
    SrtpSession(SrtpProfile profile, SrtpKeyDerivation.SessionKeys rtpKeys, SrtpKeyDerivation.SessionKeys rtcpKeys,
                SrtpSessionConfig config) {
        this(profile, rtpKeys, rtcpKeys, config, GcmBackend.selected());
    }

    /** As above, with the AEAD profiles on {@code gcm} rather than the JVM's {@link GcmBackend#selected()}. */
    SrtpSession(SrtpProfile profile, SrtpKeyDerivation.SessionKeys rtpKeys, SrtpKeyDerivation.SessionKeys rtcpKeys,
                SrtpSessionConfig config, GcmBackend gcm) {
        this.profile = profile;
        this.rtpCipher = cipher(profile, rtpKeys, gcm);
        this.rtcpCipher = cipher(profile, rtcpKeys, gcm);
        this.streams = new SrtpStreamTable(config.maxStreams(), config.replayWindowSize());
    }

    private static SrtpKeyDerivation.SessionKeys derive(SrtpProfile profile, byte[] masterKey, byte[] masterSalt,
                                                        boolean rtp) {
        Objects.requireNonNull(profile, "profile");
        if (masterKey.length != profile.masterKeyLength() || masterSalt.length != profile.masterSaltLength()) {
            throw new IllegalArgumentException(profile + " needs a " + profile.masterKeyLength() + "-byte key and a "
                    + profile.masterSaltLength() + "-byte salt");
        }
        return rtp ? SrtpKeyDerivation.rtp(profile, masterKey, masterSalt)
                : SrtpKeyDerivation.rtcp(profile, masterKey, masterSalt);
    }

    private static PacketCipher cipher(SrtpProfile profile, SrtpKeyDerivation.SessionKeys keys, GcmBackend gcm) {
        return profile.isAead() ? gcm.cipher(keys) : new AesCmHmacCipher(keys, profile.rtpAuthTagLength());
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** Bytes protecting adds to an RTP packet (the tag). */
    public int rtpOverhead() {
        return rtpCipher.rtpTagLength();
    }

    /** Bytes protecting adds to an RTCP packet (E|index and the tag). */
    public int rtcpOverhead() {
        return 4 + rtcpCipher.rtcpTagLength();
    }

    // ---------------------------------------------------------------- unprotect

    /**
     * Verifies and decrypts the SRTP packet in {@code [readerIndex, writerIndex)} in place. On
     * {@link SrtpResult#OK} the writer index has moved back by the tag and the readable bytes are plain RTP.
     */
    public SrtpResult unprotectRtp(ByteBuf packet) {
        int ri = packet.readerIndex();
        int len = packet.readableBytes();
        int tag = rtpCipher.rtpTagLength();
        int headerLength = SrtpHeaders.rtpHeaderLength(packet, ri, len - tag);
        if (headerLength < 0) {
            malformed++;
            return SrtpResult.MALFORMED;
        }
        int ssrc = SrtpHeaders.rtpSsrc(packet, ri);
        int seq = SrtpHeaders.rtpSequence(packet, ri);
        SrtpStream stream = streams.get(ssrc);
        long index;
        if ((stream == null || stream.retired) && streams.isFull()) {
            streamLimitRefusals++;
            return SrtpResult.STREAM_LIMIT;
        }
        if (stream == null) {
            index = seq;
        } else {
            index = SrtpStream.estimateIndex(stream.rtpWindow.highest(), seq);
            if (index < 0) {
                replayRefusals++;
                return SrtpResult.TOO_OLD;
            }
            SrtpResult replay = stream.rtpWindow.check(index);
            if (replay != SrtpResult.OK) {
                replayRefusals++;
                return replay;
            }
        }
        int payloadLength = len - headerLength - tag;
        boolean authentic;
        if (packet.hasArray()) {
            authentic = rtpCipher.unprotectRtp(packet.array(), packet.arrayOffset() + ri, headerLength,
                    payloadLength, ssrc, index);
        } else if (rtpCipher.takesBuffers()) {
            authentic = rtpCipher.unprotectRtp(packet, ri, headerLength, payloadLength, ssrc, index);
        } else {
            byte[] s = scratch(len);
            ByteBufCopies.read(packet, ri, s, 0, len);
            authentic = rtpCipher.unprotectRtp(s, 0, headerLength, payloadLength, ssrc, index);
            if (authentic) {
                ByteBufCopies.write(packet, ri + headerLength, s, headerLength, payloadLength);
            }
        }
        if (!authentic) {
            authFailures++;
            return SrtpResult.AUTH_FAILED;
        }
        if (stream == null) {
            stream = streams.create(ssrc);
        } else {
            streams.revive(stream);
        }
        stream.rtpWindow.accept(index);
        packet.writerIndex(ri + len - tag);
        return SrtpResult.OK;
    }

    /**
     * Verifies and decrypts the SRTCP packet in {@code [readerIndex, writerIndex)} in place. On
     * {@link SrtpResult#OK} the E|index word and the tag are cut off and the readable bytes are plain RTCP.
     */
    public SrtpResult unprotectRtcp(ByteBuf packet) {
        int ri = packet.readerIndex();
        int len = packet.readableBytes();
        int tag = rtcpCipher.rtcpTagLength();
        if (len < SrtpHeaders.RTCP_HEADER + 4 + tag || !SrtpHeaders.isRtcp(packet, ri, len)) {
            malformed++;
            return SrtpResult.MALFORMED;
        }
        int eIndex = packet.getInt(ri + len - rtcpCipher.rtcpIndexFromEnd());
        int index = eIndex & 0x7fff_ffff;
        int ssrc = SrtpHeaders.rtcpSsrc(packet, ri);
        SrtpStream stream = streams.get(ssrc);
        if ((stream == null || stream.retired) && streams.isFull()) {
            streamLimitRefusals++;
            return SrtpResult.STREAM_LIMIT;
        }
        if (stream != null) {
            SrtpResult replay = stream.rtcpWindow.check(index);
            if (replay != SrtpResult.OK) {
                replayRefusals++;
                return replay;
            }
        }
        int plainLength;
        if (packet.hasArray()) {
            plainLength = rtcpCipher.unprotectRtcp(packet.array(), packet.arrayOffset() + ri, len, ssrc, eIndex);
        } else {
            byte[] s = scratch(len);
            ByteBufCopies.read(packet, ri, s, 0, len);
            plainLength = rtcpCipher.unprotectRtcp(s, 0, len, ssrc, eIndex);
            if (plainLength >= 0) {
                ByteBufCopies.write(packet, ri, s, 0, plainLength);
            }
        }
        if (plainLength < 0) {
            authFailures++;
            return SrtpResult.AUTH_FAILED;
        }
        if (stream == null) {
            stream = streams.create(ssrc);
        } else {
            streams.revive(stream);
        }
        stream.rtcpWindow.accept(index);
        packet.writerIndex(ri + plainLength);
        return SrtpResult.OK;
    }

    // ---------------------------------------------------------------- protect

    /**
     * Protects the RTP packet in {@code plain}'s readable bytes (left untouched) and appends the SRTP packet
     * at {@code out}'s writer index.
     */
    public SrtpResult protectRtp(ByteBuf plain, ByteBuf out) {
        int ri = plain.readerIndex();
        int len = plain.readableBytes();
        int headerLength = SrtpHeaders.rtpHeaderLength(plain, ri, len);
        if (headerLength < 0) {
            return SrtpResult.MALFORMED;
        }
        int tag = rtpCipher.rtpTagLength();
        if (out.maxWritableBytes() < len + tag) {
            return SrtpResult.NO_ROOM;
        }
        out.ensureWritable(len + tag);
        int wi = out.writerIndex();
        if (out.hasArray()) {
            ByteBufCopies.read(plain, ri, out.array(), out.arrayOffset() + wi, headerLength);
        } else {
            byte[] s = scratch(headerLength); // buffer-to-buffer setBytes allocates NIO views when Unsafe is off
            ByteBufCopies.read(plain, ri, s, 0, headerLength);
            ByteBufCopies.write(out, wi, s, 0, headerLength);
        }
        return encryptAfterHeader(out, wi, headerLength, plain, ri + headerLength, len - headerLength);
    }

    /**
     * The forwarding path's single pass: {@code out} already holds the (rewritten) plain RTP header as its last
     * {@code headerLength} readable bytes; the payload is encrypted from {@code payloadSource} straight into
     * {@code out} after it, and the tag appended. On anything but OK, {@code out}'s writer index is unchanged.
     */
    public SrtpResult protectRtp(ByteBuf out, int headerLength, ByteBuf payloadSource, int payloadIndex,
                                 int payloadLength) {
        int headerIndex = out.writerIndex() - headerLength;
        if (headerLength < SrtpHeaders.RTP_FIXED_HEADER || headerIndex < out.readerIndex() || payloadLength < 0
                || payloadIndex < 0 || payloadIndex > payloadSource.capacity() - payloadLength
                || SrtpHeaders.rtpHeaderLength(out, headerIndex, headerLength) != headerLength) {
            return SrtpResult.MALFORMED;
        }
        int tag = rtpCipher.rtpTagLength();
        if (out.maxWritableBytes() < payloadLength + tag) {
            return SrtpResult.NO_ROOM;
        }
        out.ensureWritable(payloadLength + tag);
        return encryptAfterHeader(out, headerIndex, headerLength, payloadSource, payloadIndex, payloadLength);
    }

    /**
     * The forwarding path's single pass with a rewritten payload prefix: {@code out} already holds the plain RTP
     * header ({@code headerLength} bytes) followed by {@code prefixLength} plain payload bytes (a rewritten codec
     * payload descriptor, an RTX original sequence number) as its last readable bytes. The SRTP payload is that
     * prefix followed by {@code payloadLength} bytes of {@code payloadSource} from {@code payloadIndex}; it is
     * encrypted in {@code out} and the tag appended. {@code payloadSource} is only read. With a prefix of 0 the
     * output is identical to {@link #protectRtp(ByteBuf, int, ByteBuf, int, int)}. On anything but OK,
     * {@code out}'s writer index is unchanged.
     *
     * <p>The cipher transforms one contiguous plaintext, so the source payload is first copied behind the prefix
     * (a plain array copy for heap buffers), then the whole payload is encrypted in place in one cipher pass.
     */
    public SrtpResult protectRtp(ByteBuf out, int headerLength, int prefixLength, ByteBuf payloadSource,
                                 int payloadIndex, int payloadLength) {
        if (prefixLength < 0 || headerLength < SrtpHeaders.RTP_FIXED_HEADER
                || out.writerIndex() - out.readerIndex() < headerLength + prefixLength) {
            return SrtpResult.MALFORMED;
        }
        if (prefixLength == 0) {
            return protectRtp(out, headerLength, payloadSource, payloadIndex, payloadLength);
        }
        int headerIndex = out.writerIndex() - prefixLength - headerLength;
        if (payloadLength < 0 || payloadIndex < 0 || payloadIndex > payloadSource.capacity() - payloadLength
                || SrtpHeaders.rtpHeaderLength(out, headerIndex, headerLength) != headerLength) {
            return SrtpResult.MALFORMED;
        }
        int tag = rtpCipher.rtpTagLength();
        if (out.maxWritableBytes() < payloadLength + tag) {
            return SrtpResult.NO_ROOM;
        }
        out.ensureWritable(payloadLength + tag);
        int at = out.writerIndex();
        if (out.hasArray() && payloadSource.hasArray()) {
            System.arraycopy(payloadSource.array(), payloadSource.arrayOffset() + payloadIndex,
                    out.array(), out.arrayOffset() + at, payloadLength);
        } else {
            byte[] s = scratch(payloadLength);
            ByteBufCopies.read(payloadSource, payloadIndex, s, 0, payloadLength);
            ByteBufCopies.write(out, at, s, 0, payloadLength);
        }
        int payloadStart = headerIndex + headerLength;
        return encryptAfterHeader(out, headerIndex, headerLength, out, payloadStart, prefixLength + payloadLength);
    }

    /** Protects the RTP packet in {@code packet}'s readable bytes in place, growing it by the tag. */
    public SrtpResult protectRtpInPlace(ByteBuf packet) {
        int ri = packet.readerIndex();
        int len = packet.readableBytes();
        int headerLength = SrtpHeaders.rtpHeaderLength(packet, ri, len);
        if (headerLength < 0) {
            return SrtpResult.MALFORMED;
        }
        int tag = rtpCipher.rtpTagLength();
        if (packet.maxWritableBytes() < tag) {
            return SrtpResult.NO_ROOM;
        }
        packet.ensureWritable(tag);
        return encryptAfterHeader(packet, ri, headerLength, packet, ri + headerLength, len - headerLength);
    }

    /**
     * Encrypts the payload into {@code out} right after the header at {@code headerIndex}, appends the tag and
     * sets the writer index to the end of the SRTP packet. Room is ensured by the caller.
     */
    private SrtpResult encryptAfterHeader(ByteBuf out, int headerIndex, int headerLength, ByteBuf source,
                                          int sourceIndex, int payloadLength) {
        int ssrc = SrtpHeaders.rtpSsrc(out, headerIndex);
        int seq = SrtpHeaders.rtpSequence(out, headerIndex);
        SrtpStream stream = sendingStream(ssrc);
        if (stream == null) {
            return SrtpResult.STREAM_LIMIT;
        }
        long index = SrtpStream.estimateIndex(stream.sendHighestIndex, seq);
        if (index < 0) {
            index = seq; // a packet from before the first one sent, across a wrap: ROC stays 0
        }
        if (index > MAX_SRTP_INDEX) {
            return SrtpResult.KEY_EXHAUSTED;
        }
        int tag = rtpCipher.rtpTagLength();
        int payloadIndex = headerIndex + headerLength;
        try {
            if (out.hasArray() && source.hasArray()) {
                byte[] o = out.array();
                int oo = out.arrayOffset();
                rtpCipher.protectRtp(o, oo + headerIndex, headerLength, source.array(),
                        source.arrayOffset() + sourceIndex, payloadLength, o, oo + payloadIndex, ssrc, index);
            } else if (rtpCipher.takesBuffers()) {
                rtpCipher.protectRtp(out, headerIndex, headerLength, source, sourceIndex, payloadLength, ssrc, index);
            } else {
                int total = headerLength + payloadLength + tag;
                byte[] s = scratch(total);
                ByteBufCopies.read(out, headerIndex, s, 0, headerLength);
                ByteBufCopies.read(source, sourceIndex, s, headerLength, payloadLength);
                rtpCipher.protectRtp(s, 0, headerLength, s, headerLength, payloadLength, s, headerLength, ssrc, index);
                ByteBufCopies.write(out, payloadIndex, s, headerLength, payloadLength + tag);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the cipher refused to encrypt", e);
        }
        if (index > stream.sendHighestIndex) {
            stream.sendHighestIndex = index;
        }
        out.writerIndex(payloadIndex + payloadLength + tag);
        return SrtpResult.OK;
    }

    /**
     * Protects the RTCP packet (compound or single) in {@code plain}'s readable bytes (left untouched) and
     * appends the SRTCP packet, always encrypted, at {@code out}'s writer index.
     */
    public SrtpResult protectRtcp(ByteBuf plain, ByteBuf out) {
        int ri = plain.readerIndex();
        int len = plain.readableBytes();
        if (!SrtpHeaders.isRtcp(plain, ri, len)) {
            return SrtpResult.MALFORMED;
        }
        int total = len + rtcpOverhead();
        if (out.maxWritableBytes() < total) {
            return SrtpResult.NO_ROOM;
        }
        int ssrc = SrtpHeaders.rtcpSsrc(plain, ri);
        SrtpStream stream = sendingStream(ssrc);
        if (stream == null) {
            return SrtpResult.STREAM_LIMIT;
        }
        int index = stream.nextSrtcpIndex;
        if (index < 0) {
            return SrtpResult.KEY_EXHAUSTED;
        }
        out.ensureWritable(total);
        int wi = out.writerIndex();
        try {
            if (out.hasArray()) {
                byte[] o = out.array();
                int oo = out.arrayOffset() + wi;
                ByteBufCopies.read(plain, ri, o, oo, len);
                rtcpCipher.protectRtcp(o, oo, len, ssrc, index);
            } else {
                byte[] s = scratch(total);
                ByteBufCopies.read(plain, ri, s, 0, len);
                rtcpCipher.protectRtcp(s, 0, len, ssrc, index);
                ByteBufCopies.write(out, wi, s, 0, total);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the cipher refused to encrypt", e);
        }
        stream.nextSrtcpIndex = index + 1; // overflows to negative after 2^31 - 1: KEY_EXHAUSTED from then on
        out.writerIndex(wi + total);
        return SrtpResult.OK;
    }

    /** The active stream {@code ssrc} sends on, made or revived as needed; null (counted) at the stream limit. */
    private SrtpStream sendingStream(int ssrc) {
        SrtpStream last = lastSent;
        if (last != null && last.ssrc == ssrc && !last.retired) {
            return last;
        }
        SrtpStream stream = streams.get(ssrc);
        if (stream == null || stream.retired) {
            if (streams.isFull()) {
                streamLimitRefusals++;
                return null;
            }
            if (stream == null) {
                stream = streams.create(ssrc);
            } else {
                streams.revive(stream);
            }
        }
        lastSent = stream;
        return stream;
    }

    // ---------------------------------------------------------------- stream lifetime

    /**
     * The RTP stream {@code ssrc} ended (its subscription or publication is over): it no longer counts
     * against {@link SrtpSessionConfig#maxStreams()}. Its state is remembered for a while (see
     * {@link SrtpSessionConfig}), so should the SSRC come back it continues with its rollover counter,
     * replay windows and SRTCP index instead of reusing packet indices. Returns whether an active stream
     * was retired.
     */
    public boolean retireStream(long ssrc) {
        return streams.retire((int) ssrc);
    }

    // ---------------------------------------------------------------- counters

    /** Packets whose tag did not verify. */
    public long authFailures() {
        return authFailures;
    }

    /** Packets refused as replayed or too old. */
    public long replayRefusals() {
        return replayRefusals;
    }

    /** Packets refused because a new SSRC would exceed the stream limit. */
    public long streamLimitRefusals() {
        return streamLimitRefusals;
    }

    /** Unprotect inputs that were not SRTP/SRTCP packets. */
    public long malformed() {
        return malformed;
    }

    /** SSRCs with active state in this session (retired ones not counted). */
    public int streamCount() {
        return streams.size();
    }

    /** Retired streams whose state is still remembered. */
    public int retiredStreamCount() {
        return streams.retiredCount();
    }

    private byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        return scratch;
    }
}
