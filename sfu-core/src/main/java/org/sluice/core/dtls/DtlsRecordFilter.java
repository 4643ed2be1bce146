package org.sluice.core.dtls;

import io.netty.buffer.ByteBuf;

/**
 * A reusable view that checks a datagram is a well-formed sequence of DTLS 1.0/1.2 records
 * (RFC 6347 §4.1) before it is copied for the TLS engine: every record header is complete, has a
 * known content type and a DTLS version, and its length stays inside the datagram, with no bytes
 * left over. Two checks guard the engine against forged records that it would otherwise let
 * wreck the association: an epoch-0 sequence number must be below 2^16 (genuine handshakes
 * start at 0), and a protected record (epoch &gt; 0) must be at least nonce plus tag long. It does
 * not decrypt or authenticate anything; the engine does that (and drops records that fail).
 *
 * <p>Point it at a datagram with {@link #wrap(ByteBuf)}; on {@code false},
 * {@link #invalidReason()} returns a constant string. Never throws, never reads past the
 * readable region, allocates nothing. Not thread-safe: one instance per caller thread.
 */
public final class DtlsRecordFilter {

    /** Bytes in a DTLS record header: type, version, epoch, sequence number, length. */
    public static final int RECORD_HEADER_LENGTH = 13;

    static final String REASON_NULL = "no buffer";
    static final String REASON_TOO_SHORT = "shorter than a DTLS record header";
    static final String REASON_TOO_LONG = "datagram larger than the receive limit";
    static final String REASON_CONTENT_TYPE = "unknown DTLS content type";
    static final String REASON_VERSION = "not a DTLS 1.0/1.2 record version";
    static final String REASON_TRUNCATED = "record length exceeds datagram";
    static final String REASON_SHORT_PROTECTED = "protected record shorter than nonce and tag";
    static final String REASON_EPOCH0_SEQUENCE = "implausible epoch 0 sequence number";

    private static final int CONTENT_TYPE_MIN = 20; // change_cipher_spec
    private static final int CONTENT_TYPE_MAX = 24; // heartbeat

    private final int maxDatagramLength;
    private volatile int minimumProtectedLength;
    private String invalidReason;
    private int recordCount;
    private int firstContentType;

    /**
     * @param maxDatagramLength      datagrams longer than this are rejected
     * @param minimumProtectedLength records of epoch 1 and later with a shorter fragment are rejected
     */
    public DtlsRecordFilter(int maxDatagramLength, int minimumProtectedLength) {
        this.maxDatagramLength = maxDatagramLength;
        this.minimumProtectedLength = minimumProtectedLength;
    }

    /**
     * Changes the shortest accepted protected fragment, e.g. once the cipher suite is known
     * (may be called from another thread).
     */
    public void minimumProtectedLength(int length) {
        this.minimumProtectedLength = length;
    }

    /** Checks the readable bytes of {@code buf} (indices are not moved). */
    public boolean wrap(ByteBuf buf) {
        if (buf == null) {
            return invalid(REASON_NULL);
        }
        return wrap(buf, buf.readerIndex(), buf.readableBytes());
    }

    /** Checks {@code length} bytes of {@code buf} from {@code offset}, which must be inside the buffer. */
    public boolean wrap(ByteBuf buf, int offset, int length) {
        recordCount = 0;
        firstContentType = -1;
        if (buf == null) {
            return invalid(REASON_NULL);
        }
        if (offset < 0 || length < 0 || offset > buf.capacity() - length) {
            return invalid(REASON_TRUNCATED);
        }
        if (length < RECORD_HEADER_LENGTH) {
            return invalid(REASON_TOO_SHORT);
        }
        if (length > maxDatagramLength) {
            return invalid(REASON_TOO_LONG);
        }
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if (end - at < RECORD_HEADER_LENGTH) {
                return invalid(REASON_TRUNCATED);
            }
            int contentType = buf.getUnsignedByte(at);
            if (contentType < CONTENT_TYPE_MIN || contentType > CONTENT_TYPE_MAX) {
                return invalid(REASON_CONTENT_TYPE);
            }
            int major = buf.getUnsignedByte(at + 1);
            int minor = buf.getUnsignedByte(at + 2);
            if (major != 0xFE || (minor != 0xFF && minor != 0xFD)) {
                return invalid(REASON_VERSION);
            }
            int fragmentLength = buf.getUnsignedShort(at + 11);
            if (fragmentLength > end - at - RECORD_HEADER_LENGTH) {
                return invalid(REASON_TRUNCATED);
            }
            int epoch = buf.getUnsignedShort(at + 3);
            if (epoch == 0) {
                // Epoch 0 is unauthenticated and starts at sequence 0; a forged huge number would
                // push the engine's replay window past every genuine handshake record.
                if (buf.getInt(at + 5) != 0) {
                    return invalid(REASON_EPOCH0_SEQUENCE);
                }
            } else if (fragmentLength < minimumProtectedLength) {
                // Bouncy Castle answers such a record with a fatal decode_error instead of dropping it.
                return invalid(REASON_SHORT_PROTECTED);
            }
            if (recordCount == 0) {
                firstContentType = contentType;
            }
            recordCount++;
            at += RECORD_HEADER_LENGTH + fragmentLength;
        }
        invalidReason = null;
        return true;
    }

    /** Why the last {@code wrap} failed (a constant string), or {@code null} after a success. */
    public String invalidReason() {
        return invalidReason;
    }

    /** Records in the last accepted datagram. */
    public int recordCount() {
        return recordCount;
    }

    /** Content type of the first record of the last accepted datagram, or -1. */
    public int firstContentType() {
        return firstContentType;
    }

    private boolean invalid(String reason) {
        invalidReason = reason;
        recordCount = 0;
        firstContentType = -1;
        return false;
    }
}
