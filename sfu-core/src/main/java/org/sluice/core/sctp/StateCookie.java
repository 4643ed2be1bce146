package org.sluice.core.sctp;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The state cookie of INIT ACK (RFC 9260 §5.1.3): what the association needs from the peer's
 * INIT, with the time it was made, signed with HMAC-SHA256 under a per-association secret. A
 * listener keeps no state for an INIT; the COOKIE ECHO brings it back and {@link #open} checks the
 * signature and age.
 */
final class StateCookie {

    static final int BODY = 4 * 7 + 8 + 1;
    static final int MAC = 32;
    static final int LENGTH = BODY + MAC;

    /** The peer's INIT as remembered in the cookie. */
    record Contents(int localTag, int localInitialTsn, int peerTag, int peerInitialTsn, int peerWindow,
                    int peerOutStreams, int peerInStreams, long createdNanos, boolean peerForwardTsn) {
    }

    private final SecretKeySpec key;

    StateCookie(byte[] secret) {
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    byte[] seal(Contents c) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.putInt(c.localTag()).putInt(c.localInitialTsn()).putInt(c.peerTag()).putInt(c.peerInitialTsn())
                .putInt(c.peerWindow()).putInt(c.peerOutStreams()).putInt(c.peerInStreams())
                .putLong(c.createdNanos()).put((byte) (c.peerForwardTsn() ? 1 : 0));
        b.put(mac(b.array(), 0, BODY));
        return b.array();
    }

    /** The contents, or null when the cookie is malformed, forged or older than {@code lifetimeNanos}. */
    Contents open(byte[] data, int offset, int length, long nowNanos, long lifetimeNanos) {
        if (length != LENGTH) {
            return null;
        }
        byte[] expected = mac(data, offset, BODY);
        byte[] actual = new byte[MAC];
        System.arraycopy(data, offset + BODY, actual, 0, MAC);
        if (!MessageDigest.isEqual(expected, actual)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(data, offset, BODY);
        Contents c = new Contents(b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(),
                b.getLong(), b.get() != 0);
        long age = nowNanos - c.createdNanos();
        if (age < 0 || age > lifetimeNanos) {
            return null;
        }
        return c;
    }

    private byte[] mac(byte[] data, int offset, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(data, offset, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
