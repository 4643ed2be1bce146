package org.sluice.core.stun;

import io.netty.buffer.ByteBuf;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) and MESSAGE-INTEGRITY-SHA256 (§14.6) for one key.
 *
 * <p>The HMAC covers the message up to the integrity attribute, with the header's length field
 * set as if the message ended right after that attribute; verification feeds that adjusted length
 * without touching the received buffer. The {@link Mac} instances are keyed once and reused, and
 * the message bytes go through a reusable scratch array: no allocation per message. One instance
 * per key and per thread (e.g. per ICE agent); not thread-safe.
 */
public final class StunIntegrity {

    private static final int SCRATCH_INITIAL = 512;

    private final byte[] key;
    private final Mac sha1;
    private Mac sha256;
    private byte[] scratch = new byte[SCRATCH_INITIAL];
    private final byte[] digest = new byte[32];

    private StunIntegrity(byte[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("empty STUN integrity key");
        }
        this.key = key.clone();
        this.sha1 = newMac("HmacSHA1");
    }

    /** Short-term credential (ICE): the key is the password's UTF-8 bytes (RFC 8489 §9.1.1). */
    public static StunIntegrity shortTerm(String password) {
        return new StunIntegrity(password.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Long-term credential with the MD5 password algorithm (RFC 8489 §9.2.2):
     * key = MD5(username ":" realm ":" password). The arguments must already be SASLprep/OpaqueString
     * processed.
     */
    public static StunIntegrity longTermMd5(String username, String realm, String password) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return new StunIntegrity(md5.digest(
                    (username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 missing from the JDK", e);
        }
    }

    /** An explicit key (e.g. long-term SHA-256 password algorithm keys). */
    public static StunIntegrity ofKey(byte[] key) {
        return new StunIntegrity(key);
    }

    private Mac newMac(String algorithm) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    private Mac sha256() {
        if (sha256 == null) {
            sha256 = newMac("HmacSHA256");
        }
        return sha256;
    }

    /**
     * Checks MESSAGE-INTEGRITY-SHA256 if the message has one, else MESSAGE-INTEGRITY
     * (RFC 8489 §9.1.3 order of preference).
     */
    public IntegrityCheck verify(StunMessage message) {
        if (message.messageIntegritySha256Position() >= 0) {
            return verifySha256(message) ? IntegrityCheck.VALID : IntegrityCheck.MISMATCH;
        }
        if (message.messageIntegrityPosition() >= 0) {
            return verifySha1(message) ? IntegrityCheck.VALID : IntegrityCheck.MISMATCH;
        }
        return IntegrityCheck.MISSING;
    }

    /** Verifies MESSAGE-INTEGRITY; false if absent or wrong. */
    public boolean verifySha1(StunMessage message) {
        int position = message.messageIntegrityPosition();
        if (!message.isValid() || position < 0) {
            return false;
        }
        compute(sha1, message.buffer(), message.offset(), position, StunAttribute.MESSAGE_INTEGRITY_LENGTH);
        return matches(message.buffer(), position + 4, StunAttribute.MESSAGE_INTEGRITY_LENGTH);
    }

    /** Verifies MESSAGE-INTEGRITY-SHA256 (possibly truncated to 16..28 bytes); false if absent or wrong. */
    public boolean verifySha256(StunMessage message) {
        int position = message.messageIntegritySha256Position();
        if (!message.isValid() || position < 0) {
            return false;
        }
        int length = message.attributeLength(position);
        compute(sha256(), message.buffer(), message.offset(), position, length);
        return matches(message.buffer(), position + 4, length);
    }

    /**
     * Writes a MESSAGE-INTEGRITY attribute at {@code buf}'s writer index for the message starting at
     * {@code messageStart} (whose attributes end at the writer index). Updates the header length.
     */
    void appendSha1(ByteBuf buf, int messageStart) {
        append(sha1, StunAttribute.MESSAGE_INTEGRITY, StunAttribute.MESSAGE_INTEGRITY_LENGTH, buf, messageStart);
    }

    /** As {@link #appendSha1} for a full-length MESSAGE-INTEGRITY-SHA256. */
    void appendSha256(ByteBuf buf, int messageStart) {
        append(sha256(), StunAttribute.MESSAGE_INTEGRITY_SHA256, StunAttribute.MESSAGE_INTEGRITY_SHA256_LENGTH,
                buf, messageStart);
    }

    private void append(Mac mac, int type, int length, ByteBuf buf, int messageStart) {
        int position = buf.writerIndex();
        compute(mac, buf, messageStart, position, length);
        buf.setShort(messageStart + 2, position + 4 + length - messageStart - StunMessage.HEADER_LENGTH);
        buf.writeShort(type);
        buf.writeShort(length);
        buf.writeBytes(digest, 0, length);
    }

    /** HMAC over [start, attributePosition) with the length field covering an attribute of {@code valueLength}. */
    private void compute(Mac mac, ByteBuf buf, int start, int attributePosition, int valueLength) {
        int covered = attributePosition - start;
        if (scratch.length < covered) {
            scratch = new byte[Math.max(covered, scratch.length * 2)];
        }
        buf.getBytes(start, scratch, 0, covered);
        int adjustedLength = covered + 4 + valueLength - StunMessage.HEADER_LENGTH;
        scratch[2] = (byte) (adjustedLength >>> 8);
        scratch[3] = (byte) adjustedLength;
        mac.update(scratch, 0, covered);
        try {
            mac.doFinal(digest, 0);
        } catch (ShortBufferException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Constant-time comparison of the first {@code length} digest bytes with the buffer. */
    private boolean matches(ByteBuf buf, int index, int length) {
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= digest[i] ^ buf.getByte(index + i);
        }
        return diff == 0;
    }
}
