package org.sluice.core.stun;

import io.netty.buffer.ByteBuf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Builds STUN messages into a {@link ByteBuf}, appending at its writer index. Reusable: call
 * {@code begin...}, add attributes, then the integrity attributes and {@link #finish(boolean)}.
 * The header length is kept current after every attribute, so MESSAGE-INTEGRITY and FINGERPRINT
 * are computed as RFC 8489 §14.5–§14.7 describe. Misuse (adding before {@code begin}) throws
 * {@link IllegalStateException}: the writer only sees our own data. One per thread.
 *
 * <p>Shortcuts build the messages ICE needs: {@link #bindingRequest}, {@link #bindingSuccess} and
 * {@link #errorResponse}.
 */
public final class StunMessageWriter {

    private final StunFingerprint fingerprint = new StunFingerprint();
    private ByteBuf out;
    private int start = -1;
    private InetAddress cachedAddress;
    private byte[] cachedAddressBytes;

    /** Starts a message of {@code messageType} with a 12-byte transaction id. */
    public StunMessageWriter begin(ByteBuf out, int messageType, byte[] transactionId) {
        if (transactionId.length != StunMessage.TRANSACTION_ID_LENGTH) {
            throw new IllegalArgumentException("transaction id must be 12 bytes");
        }
        header(out, messageType);
        out.writeBytes(transactionId);
        return this;
    }

    /** Starts a response of {@code messageType} carrying {@code request}'s transaction id. */
    public StunMessageWriter beginResponse(ByteBuf out, int messageType, StunMessage request) {
        header(out, messageType);
        out.ensureWritable(StunMessage.TRANSACTION_ID_LENGTH);
        request.copyTransactionId(out, out.writerIndex());
        out.writerIndex(out.writerIndex() + StunMessage.TRANSACTION_ID_LENGTH);
        return this;
    }

    private void header(ByteBuf out, int messageType) {
        this.out = out;
        this.start = out.writerIndex();
        out.writeShort(messageType & 0x3FFF);
        out.writeShort(0);
        out.writeInt(StunMessage.MAGIC_COOKIE);
    }

    private ByteBuf out() {
        if (start < 0) {
            throw new IllegalStateException("begin a message first");
        }
        return out;
    }

    /** Appends an attribute with an arbitrary value, padded with zeros. */
    public StunMessageWriter attribute(int type, byte[] value) {
        ByteBuf b = out();
        b.writeShort(type);
        b.writeShort(value.length);
        b.writeBytes(value);
        pad(value.length);
        return this;
    }

    private void pad(int valueLength) {
        int padding = (4 - (valueLength & 3)) & 3;
        out.writeZero(padding);
        updateLength();
    }

    private void updateLength() {
        out.setShort(start + 2, out.writerIndex() - start - StunMessage.HEADER_LENGTH);
    }

    public StunMessageWriter username(String username) {
        return attribute(StunAttribute.USERNAME, username.getBytes(StandardCharsets.UTF_8));
    }

    public StunMessageWriter software(String software) {
        return attribute(StunAttribute.SOFTWARE, software.getBytes(StandardCharsets.UTF_8));
    }

    /** PRIORITY (RFC 8445 §7.1.1), an unsigned 32-bit value. */
    public StunMessageWriter priority(long priority) {
        ByteBuf b = out();
        b.writeShort(StunAttribute.PRIORITY);
        b.writeShort(4);
        b.writeInt((int) priority);
        updateLength();
        return this;
    }

    public StunMessageWriter iceControlling(long tieBreaker) {
        return tieBreaker(StunAttribute.ICE_CONTROLLING, tieBreaker);
    }

    public StunMessageWriter iceControlled(long tieBreaker) {
        return tieBreaker(StunAttribute.ICE_CONTROLLED, tieBreaker);
    }

    private StunMessageWriter tieBreaker(int type, long tieBreaker) {
        ByteBuf b = out();
        b.writeShort(type);
        b.writeShort(8);
        b.writeLong(tieBreaker);
        updateLength();
        return this;
    }

    public StunMessageWriter useCandidate() {
        ByteBuf b = out();
        b.writeShort(StunAttribute.USE_CANDIDATE);
        b.writeShort(0);
        updateLength();
        return this;
    }

    /** XOR-MAPPED-ADDRESS (RFC 8489 §14.2) for an IPv4 or IPv6 address. */
    public StunMessageWriter xorMappedAddress(InetSocketAddress address) {
        ByteBuf b = out();
        InetAddress inet = address.getAddress();
        if (!inet.equals(cachedAddress)) {
            // InetAddress.getAddress() copies; a peer's consent checks keep coming from one address.
            cachedAddress = inet;
            cachedAddressBytes = inet.getAddress();
        }
        byte[] ip = cachedAddressBytes;
        boolean v4 = inet instanceof Inet4Address;
        b.writeShort(StunAttribute.XOR_MAPPED_ADDRESS);
        b.writeShort(v4 ? 8 : 20);
        b.writeByte(0);
        b.writeByte(v4 ? 0x01 : 0x02);
        b.writeShort(address.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16));
        for (int i = 0; i < ip.length; i++) {
            // The XOR key is the magic cookie followed by the transaction id: header bytes 4..19.
            b.writeByte(ip[i] ^ out.getByte(start + 4 + i));
        }
        updateLength();
        return this;
    }

    /** ERROR-CODE (RFC 8489 §14.8): {@code code} 300..699 and a reason phrase. */
    public StunMessageWriter errorCode(int code, String reason) {
        ByteBuf b = out();
        byte[] phrase = reason.getBytes(StandardCharsets.UTF_8);
        b.writeShort(StunAttribute.ERROR_CODE);
        b.writeShort(4 + phrase.length);
        b.writeShort(0);
        b.writeByte(code / 100);
        b.writeByte(code % 100);
        b.writeBytes(phrase);
        pad(phrase.length);
        return this;
    }

    public StunMessageWriter messageIntegrity(StunIntegrity integrity) {
        integrity.appendSha1(out(), start);
        return this;
    }

    public StunMessageWriter messageIntegritySha256(StunIntegrity integrity) {
        integrity.appendSha256(out(), start);
        return this;
    }

    /** Ends the message, optionally appending FINGERPRINT; returns its total length. */
    public int finish(boolean withFingerprint) {
        ByteBuf b = out();
        if (withFingerprint) {
            fingerprint.append(b, start);
        }
        int length = b.writerIndex() - start;
        start = -1;
        out = null;
        return length;
    }

    /**
     * An ICE connectivity check (RFC 8445 §7.1.1): USERNAME, PRIORITY, ICE-CONTROLLING or
     * ICE-CONTROLLED with the tie-breaker, USE-CANDIDATE when nominating, MESSAGE-INTEGRITY keyed
     * with the peer's password, FINGERPRINT. Returns the length written.
     */
    public int bindingRequest(ByteBuf out, byte[] transactionId, String username, long priority,
                              boolean controlling, long tieBreaker, boolean useCandidate,
                              StunIntegrity remotePassword) {
        begin(out, StunMessageType.BINDING_REQUEST, transactionId).username(username).priority(priority);
        if (controlling) {
            iceControlling(tieBreaker);
        } else {
            iceControlled(tieBreaker);
        }
        if (useCandidate) {
            useCandidate();
        }
        return messageIntegrity(remotePassword).finish(true);
    }

    /**
     * A Binding success response to {@code request}: XOR-MAPPED-ADDRESS = {@code mapped},
     * MESSAGE-INTEGRITY and/or MESSAGE-INTEGRITY-SHA256 as the request carried them (at least one),
     * FINGERPRINT. Returns the length written.
     */
    public int bindingSuccess(ByteBuf out, StunMessage request, InetSocketAddress mapped, StunIntegrity integrity) {
        beginResponse(out, StunMessageType.BINDING_SUCCESS_RESPONSE, request).xorMappedAddress(mapped);
        signLike(request, integrity);
        return finish(true);
    }

    /**
     * An error response to {@code request} with ERROR-CODE; signed like the request when
     * {@code integrity} is not null (only once the request was authenticated), with FINGERPRINT.
     */
    public int errorResponse(ByteBuf out, StunMessage request, int code, String reason, StunIntegrity integrity) {
        int type = StunMessageType.type(request.method(), StunMessageType.CLASS_ERROR_RESPONSE);
        beginResponse(out, type, request).errorCode(code, reason);
        if (integrity != null) {
            signLike(request, integrity);
        }
        return finish(true);
    }

    private void signLike(StunMessage request, StunIntegrity integrity) {
        boolean sha256 = request.messageIntegritySha256Position() >= 0;
        if (request.messageIntegrityPosition() >= 0 || !sha256) {
            messageIntegrity(integrity);
        }
        if (sha256) {
            messageIntegritySha256(integrity);
        }
    }
}
