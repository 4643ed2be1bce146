package org.sluice.rtp.srtp;

import io.netty.buffer.ByteBuf;

import java.security.GeneralSecurityException;

/**
 * The cryptographic transform of one profile under one set of session keys (RTP or RTCP), working on
 * byte-array regions. Callers have checked every bound; implementations reuse their JCE objects and
 * scratch arrays, so an instance is confined to one thread.
 */
abstract class PacketCipher {

    /** Bytes the tag adds to an SRTP packet. */
    abstract int rtpTagLength();

    /** Bytes the tag adds to an SRTCP packet (the 4-byte E|index word is extra). */
    abstract int rtcpTagLength();

    /** Bytes from the end of an SRTCP packet to its E|index word (it precedes the HMAC tag, follows the GCM tag). */
    abstract int rtcpIndexFromEnd();

    /**
     * Encrypts {@code src[srcOff, srcOff + len)} into {@code dst[dstOff, dstOff + len)} and writes the tag
     * at {@code dst[dstOff + len]}. The plain RTP header is {@code header[headerOff, headerOff + headerLen)}
     * (authenticated, not encrypted). {@code src} and {@code dst} may be the same region.
     */
    abstract void protectRtp(byte[] header, int headerOff, int headerLen, byte[] src, int srcOff, int len,
                             byte[] dst, int dstOff, int ssrc, long index) throws GeneralSecurityException;

    /**
     * Verifies and decrypts in place the SRTP packet whose header is {@code buf[off, off + headerLen)},
     * followed by {@code len} bytes of ciphertext and the tag. Returns false when the tag does not verify.
     */
    abstract boolean unprotectRtp(byte[] buf, int off, int headerLen, int len, int ssrc, long index);

    /**
     * Turns the plain RTCP packet {@code buf[off, off + len)} into an encrypted SRTCP packet in place
     * (room for the trailer is guaranteed) and returns the SRTCP length.
     */
    abstract int protectRtcp(byte[] buf, int off, int len, int ssrc, int srtcpIndex) throws GeneralSecurityException;

    /**
     * Verifies and (if the E bit says so) decrypts in place the SRTCP packet {@code buf[off, off + len)},
     * whose E|index word is {@code eIndex}. Returns the plain RTCP length, or -1 when the tag does not verify.
     */
    abstract int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eIndex);

    /**
     * Whether this cipher seals and opens RTP straight from and into buffers that have no array
     * ({@link #protectRtp(ByteBuf, int, int, ByteBuf, int, int, int, long)},
     * {@link #unprotectRtp(ByteBuf, int, int, int, int, long)}), sparing the session's copy through a scratch array.
     */
    boolean takesBuffers() {
        return false;
    }

    /**
     * As {@link #protectRtp(byte[], int, int, byte[], int, int, byte[], int, int, long)} over buffers: the plain
     * header is {@code out[headerIndex, +headerLen)}, the payload {@code source[sourceIndex, +len)}; the ciphertext
     * and tag go to {@code out} right behind the header. Only where {@link #takesBuffers()}.
     */
    void protectRtp(ByteBuf out, int headerIndex, int headerLen, ByteBuf source, int sourceIndex, int len, int ssrc,
                    long index) throws GeneralSecurityException {
        throw new UnsupportedOperationException("no buffer path");
    }

    /**
     * As {@link #unprotectRtp(byte[], int, int, int, int, long)} over a buffer, the packet at {@code at}; the
     * buffer changes only when the tag verifies. Only where {@link #takesBuffers()}.
     */
    boolean unprotectRtp(ByteBuf packet, int at, int headerLen, int len, int ssrc, long index) {
        throw new UnsupportedOperationException("no buffer path");
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** Compares two regions in time independent of where they differ. */
    static boolean constantTimeEquals(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int diff = 0;
        for (int i = 0; i < len; i++) {
            diff |= a[aOff + i] ^ b[bOff + i];
        }
        return diff == 0;
    }
}
