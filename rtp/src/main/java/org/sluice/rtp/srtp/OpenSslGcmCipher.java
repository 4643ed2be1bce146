package org.sluice.rtp.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * AEAD_AES_128_GCM and AEAD_AES_256_GCM (RFC 7714) through OpenSSL ({@link OpenSslGcm}).
 *
 * <p>Each direction has one {@code EVP_CIPHER_CTX}, keyed once; a packet only sets its IV
 * ({@code EVP_CipherInit_ex} with no cipher and no key), so neither the AES key schedule nor any object is made per
 * packet, unlike JCE's {@code Cipher.init}. Buffers with a native address are sealed where they lie (see
 * {@link #protectRtp(ByteBuf, int, int, ByteBuf, int, int, int, long)}); anything else is copied into the thread's
 * native workspace ({@link OpenSslWorkspace}, shared by every cipher on that thread), sealed or opened there in
 * place, and copied back. Identical plaintext under an identical nonce (a retransmission protected again) is
 * accepted, as it reveals nothing new.
 *
 * <p>The native contexts are freed by a {@link Cleaner} once the cipher is unreachable. Confined to one thread,
 * like every {@link PacketCipher}.
 */
final class OpenSslGcmCipher extends GcmCipher {

    private static final Cleaner CLEANER = Cleaner.create();
    private static final int OUT_LENGTH = OpenSslWorkspace.OUT_LENGTH;
    private static final int TAG_AT = OpenSslWorkspace.TAG_AT;
    private static final int IV_AT = OpenSslWorkspace.IV_AT;
    private static final int AAD_WORD_AT = OpenSslWorkspace.AAD_WORD_AT;
    private static final int KEY_AT = OpenSslWorkspace.KEY_AT;
    private static final int DATA = OpenSslWorkspace.DATA;

    private final OpenSslGcm ssl;
    private final long encrypt;
    private final long decrypt;

    OpenSslGcmCipher(SrtpKeyDerivation.SessionKeys keys, OpenSslGcm ssl) {
        super(keys);
        this.ssl = ssl;
        byte[] key = keys.encryptionKey();
        if (key.length != 16 && key.length != 32) {
            throw new IllegalArgumentException("AES-GCM needs a 16- or 32-byte key");
        }
        OpenSslWorkspace ws = ssl.workspace();
        long enc = 0;
        long dec = 0;
        try {
            enc = (long) ssl.ctxNew.invokeExact();
            dec = (long) ssl.ctxNew.invokeExact();
            if (enc == 0 || dec == 0) {
                throw new IllegalStateException("EVP_CIPHER_CTX_new failed");
            }
            long type = key.length == 16 ? (long) ssl.aes128Gcm.invokeExact() : (long) ssl.aes256Gcm.invokeExact();
            ws.block.put(KEY_AT, key, 0, key.length);
            int e = (int) ssl.cipherInit.invokeExact(enc, type, 0L, ws.base + KEY_AT, 0L, 1);
            int d = (int) ssl.cipherInit.invokeExact(dec, type, 0L, ws.base + KEY_AT, 0L, 0);
            if (e != 1 || d != 1) {
                throw new IllegalStateException("EVP_CipherInit_ex refused the key");
            }
        } catch (RuntimeException | Error e) {
            free(ssl, enc, dec);
            throw e;
        } catch (Throwable e) {
            free(ssl, enc, dec);
            throw new IllegalStateException("OpenSSL GCM setup failed", e);
        } finally {
            ws.block.put(KEY_AT, new byte[32], 0, 32);
        }
        this.encrypt = enc;
        this.decrypt = dec;
        CLEANER.register(this, new Contexts(ssl, enc, dec));
    }

    /** Frees both contexts; the cleaning action holds no reference to the cipher. */
    private record Contexts(OpenSslGcm ssl, long encrypt, long decrypt) implements Runnable {
        @Override
        public void run() {
            free(ssl, encrypt, decrypt);
        }
    }

    private static void free(OpenSslGcm ssl, long enc, long dec) {
        try {
            if (enc != 0) {
                ssl.ctxFree.invokeExact(enc);
            }
            if (dec != 0) {
                ssl.ctxFree.invokeExact(dec);
            }
        } catch (Throwable ignored) {
            // nothing more can be done for native memory that would not free
        }
    }

    /** The SRTP IV (RFC 7714 §8.1), into the workspace. */
    private void rtpIvInto(OpenSslWorkspace ws, int ssrc, long index) {
        ws.block.putLong(IV_AT, rtpIvHigh(ssrc, index));
        ws.block.putInt(IV_AT + 8, rtpIvLow(index));
    }

    /** The SRTCP IV (RFC 7714 §9.1), into the workspace. */
    private void rtcpIvInto(OpenSslWorkspace ws, int ssrc, int index) {
        ws.block.putLong(IV_AT, rtcpIvHigh(ssrc));
        ws.block.putInt(IV_AT + 8, rtcpIvLow(index));
    }

    /** Starts a packet on {@code ctx} with the IV in the workspace: true when OpenSSL took it. */
    private boolean begin(long ctx, long base) throws Throwable {
        return (int) ssl.cipherInit.invokeExact(ctx, 0L, 0L, 0L, base + IV_AT, -1) == 1;
    }

    /**
     * One {@code EVP_CipherUpdate} of {@code length} bytes at native address {@code in}: into {@code out}, or as
     * associated data when {@code out} is 0. {@code base} is the workspace's, for the output length.
     */
    private boolean update(long ctx, long out, long base, long in, int length) throws Throwable {
        return length == 0 || (int) ssl.cipherUpdate.invokeExact(ctx, out, base + OUT_LENGTH, in, length) == 1;
    }

    /** Authenticates {@code length} bytes at {@code at} of the workspace as associated data. */
    private boolean aad(long ctx, long base, int at, int length) throws Throwable {
        return update(ctx, 0L, base, base + at, length);
    }

    /** Encrypts or decrypts {@code length} bytes at {@code at} of the workspace in place. */
    private boolean crypt(long ctx, long base, int at, int length) throws Throwable {
        return update(ctx, base + at, base, base + at, length);
    }

    /** Seals: finishes and writes the tag at native address {@code tag}. */
    private boolean seal(long base, long tag) throws Throwable {
        return (int) ssl.cipherFinal.invokeExact(encrypt, base + TAG_AT, base + OUT_LENGTH) == 1
                && (int) ssl.ctrl.invokeExact(encrypt, OpenSslGcm.CTRL_GET_TAG, TAG, tag) == 1;
    }

    /** Opens: checks the tag at native address {@code tag}; true when it verifies. */
    private boolean open(long base, long tag) throws Throwable {
        return (int) ssl.ctrl.invokeExact(decrypt, OpenSslGcm.CTRL_SET_TAG, TAG, tag) == 1
                && (int) ssl.cipherFinal.invokeExact(decrypt, base + TAG_AT, base + OUT_LENGTH) == 1;
    }

    @Override
    void protectRtp(byte[] header, int headerOff, int headerLen, byte[] src, int srcOff, int len,
                    byte[] dst, int dstOff, int ssrc, long index) {
        OpenSslWorkspace ws = ssl.workspace().ensure(headerLen + len + TAG);
        ws.block.put(DATA, header, headerOff, headerLen);
        ws.block.put(DATA + headerLen, src, srcOff, len);
        int payload = DATA + headerLen;
        sealRtp(ws, payload, headerLen, len, ssrc, index);
        ws.block.get(payload, dst, dstOff, len + TAG);
    }

    @Override
    boolean takesBuffers() {
        return true;
    }

    /**
     * Seals straight from {@code source} into {@code out} where both buffers have a native address (Netty's direct
     * buffers, with or without {@code Unsafe}): the header is read as associated data where it lies, the payload is
     * encrypted from the source into its place behind the header, and the tag written behind it. Only the IV goes
     * through the workspace; no copy, no allocation. Other buffers are copied through the workspace.
     */
    @Override
    void protectRtp(ByteBuf out, int headerIndex, int headerLen, ByteBuf source, int sourceIndex, int len, int ssrc,
                    long index) {
        if (out.hasMemoryAddress() && source.hasMemoryAddress() && !out.isReadOnly()) {
            long header = rawAddress(out, headerIndex, headerLen + len + TAG);
            long from = rawAddress(source, sourceIndex, len);
            long to = header + headerLen;
            if (from == to || from + len <= header || to + len + TAG <= from) { // no partial overlap
                OpenSslWorkspace ws = ssl.workspace();
                rtpIvInto(ws, ssrc, index);
                long base = ws.base;
                try {
                    if (!(begin(encrypt, base) && update(encrypt, 0L, base, header, headerLen)
                            && update(encrypt, to, base, from, len) && seal(base, to + len))) {
                        throw new IllegalStateException("OpenSSL refused to encrypt");
                    }
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable e) {
                    throw new IllegalStateException("OpenSSL refused to encrypt", e);
                }
                return;
            }
        }
        OpenSslWorkspace ws = ssl.workspace().ensure(headerLen + len + TAG);
        ByteBufCopies.read(out, headerIndex, ws.block, ws.base, ws.window, DATA, headerLen);
        ByteBufCopies.read(source, sourceIndex, ws.block, ws.base, ws.window, DATA + headerLen, len);
        int payload = DATA + headerLen;
        sealRtp(ws, payload, headerLen, len, ssrc, index);
        ByteBufCopies.write(out, headerIndex + headerLen, ws.block, ws.base, ws.window, payload, len + TAG);
    }

    /**
     * Opens in place. Where the packet has a native address the payload is decrypted from it into the workspace and
     * moved back only once the tag verifies, so a packet that fails keeps its bytes, as on the copying path.
     */
    @Override
    boolean unprotectRtp(ByteBuf packet, int at, int headerLen, int len, int ssrc, long index) {
        OpenSslWorkspace ws = ssl.workspace().ensure(headerLen + len + TAG);
        if (packet.hasMemoryAddress() && !packet.isReadOnly()) {
            long header = rawAddress(packet, at, headerLen + len + TAG);
            long payload = header + headerLen;
            rtpIvInto(ws, ssrc, index);
            long base = ws.base;
            try {
                if (!(begin(decrypt, base) && update(decrypt, 0L, base, header, headerLen)
                        && update(decrypt, base + DATA, base, payload, len) && open(base, payload + len))) {
                    return false;
                }
                long moved = (long) ssl.memmove.invokeExact(payload, base + DATA, (long) len);
                return moved == payload;
            } catch (Throwable e) {
                return false;
            }
        }
        ByteBufCopies.read(packet, at, ws.block, ws.base, ws.window, DATA, headerLen + len + TAG);
        if (!openRtp(ws, headerLen, len, ssrc, index)) {
            return false;
        }
        ByteBufCopies.write(packet, at + headerLen, ws.block, ws.base, ws.window, DATA + headerLen, len);
        return true;
    }

    /**
     * The native address of {@code buf}'s bytes {@code [index, index + length)}, after the checks Netty would make
     * before touching them: live, and within its capacity.
     */
    private static long rawAddress(ByteBuf buf, int index, int length) {
        if (buf.refCnt() == 0) {
            throw new IllegalReferenceCountException(0);
        }
        if (index < 0 || length < 0 || index > buf.capacity() - length) {
            throw new IndexOutOfBoundsException(length + " bytes at " + index + " of a buffer of " + buf.capacity());
        }
        return buf.memoryAddress() + index;
    }

    /** Seals the RTP packet in the workspace (header at {@link #DATA}, payload at {@code payload}), tag behind it. */
    private void sealRtp(OpenSslWorkspace ws, int payload, int headerLen, int len, int ssrc, long index) {
        rtpIvInto(ws, ssrc, index);
        long base = ws.base;
        try {
            if (!(begin(encrypt, base) && aad(encrypt, base, DATA, headerLen) && crypt(encrypt, base, payload, len)
                    && seal(base, base + payload + len))) {
                throw new IllegalStateException("OpenSSL refused to encrypt");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("OpenSSL refused to encrypt", e);
        }
    }

    /** Opens the SRTP packet in the workspace in place: true when its tag verifies. */
    private boolean openRtp(OpenSslWorkspace ws, int headerLen, int len, int ssrc, long index) {
        rtpIvInto(ws, ssrc, index);
        long base = ws.base;
        int payload = DATA + headerLen;
        try {
            return begin(decrypt, base) && aad(decrypt, base, DATA, headerLen) && crypt(decrypt, base, payload, len)
                    && open(base, base + payload + len);
        } catch (Throwable e) {
            return false;
        }
    }

    @Override
    boolean unprotectRtp(byte[] buf, int off, int headerLen, int len, int ssrc, long index) {
        OpenSslWorkspace ws = ssl.workspace().ensure(headerLen + len + TAG);
        ws.block.put(DATA, buf, off, headerLen + len + TAG);
        if (!openRtp(ws, headerLen, len, ssrc, index)) {
            return false;
        }
        ws.block.get(DATA + headerLen, buf, off + headerLen, len);
        return true;
    }

    @Override
    int protectRtcp(byte[] buf, int off, int len, int ssrc, int srtcpIndex) {
        OpenSslWorkspace ws = ssl.workspace().ensure(len + TAG);
        ByteBuffer block = ws.block;
        long base = ws.base;
        block.put(DATA, buf, off, len);
        rtcpIvInto(ws, ssrc, srtcpIndex);
        int eIndex = srtcpIndex | 0x8000_0000;
        block.putInt(AAD_WORD_AT, eIndex);
        int body = DATA + SrtpHeaders.RTCP_HEADER;
        int bodyLength = len - SrtpHeaders.RTCP_HEADER;
        try {
            if (!(begin(encrypt, base) && aad(encrypt, base, DATA, SrtpHeaders.RTCP_HEADER)
                    && aad(encrypt, base, AAD_WORD_AT, 4) && crypt(encrypt, base, body, bodyLength)
                    && seal(base, base + body + bodyLength))) {
                throw new IllegalStateException("OpenSSL refused to encrypt");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("OpenSSL refused to encrypt", e);
        }
        int at = off + SrtpHeaders.RTCP_HEADER;
        block.get(body, buf, at, bodyLength + TAG);
        putInt(buf, at + bodyLength + TAG, eIndex);
        return len + TAG + 4;
    }

    @Override
    int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eIndex) {
        int sealed = len - 4;
        if (sealed < TAG) {
            return -1;
        }
        OpenSslWorkspace ws = ssl.workspace().ensure(sealed);
        ByteBuffer block = ws.block;
        long base = ws.base;
        block.put(DATA, buf, off, sealed);
        rtcpIvInto(ws, ssrc, eIndex);
        block.putInt(AAD_WORD_AT, eIndex);
        int tagAt = DATA + sealed - TAG;
        try {
            boolean ok;
            if (eIndex < 0) {
                int body = DATA + SrtpHeaders.RTCP_HEADER;
                int bodyLength = sealed - TAG - SrtpHeaders.RTCP_HEADER;
                ok = bodyLength >= 0 && begin(decrypt, base) && aad(decrypt, base, DATA, SrtpHeaders.RTCP_HEADER)
                        && aad(decrypt, base, AAD_WORD_AT, 4) && crypt(decrypt, base, body, bodyLength)
                        && open(base, base + tagAt);
                if (ok) {
                    block.get(body, buf, off + SrtpHeaders.RTCP_HEADER, bodyLength);
                }
            } else {
                // Unencrypted SRTCP (RFC 7714 §9.2): the whole packet is associated data, the tag follows it.
                ok = begin(decrypt, base) && aad(decrypt, base, DATA, sealed - TAG)
                        && aad(decrypt, base, AAD_WORD_AT, 4) && open(base, base + tagAt);
            }
            return ok ? sealed - TAG : -1;
        } catch (Throwable e) {
            return -1;
        }
    }

    /**
     * Checks {@code ssl} against RFC 7714 §16.1.1 (AEAD_AES_128_GCM) both ways, and that a changed tag is refused:
     * null when it passes, else what failed.
     */
    static String selfTest(OpenSslGcm ssl) {
        HexFormat hex = HexFormat.of();
        byte[] key = hex.parseHex("000102030405060708090a0b0c0d0e0f");
        byte[] salt = hex.parseHex("517569642070726f2071756f");
        byte[] plain = hex.parseHex("8040f17b8041f8d35501a0b2"
                + "47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573");
        String sealed = "8040f17b8041f8d35501a0b2"
                + "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
                + "899d7f27beb16a9152cf765ee4390cce";
        try {
            OpenSslGcmCipher cipher = new OpenSslGcmCipher(new SrtpKeyDerivation.SessionKeys(key, salt, new byte[0]),
                    ssl);
            byte[] out = new byte[plain.length + TAG];
            System.arraycopy(plain, 0, out, 0, 12);
            cipher.protectRtp(plain, 0, 12, plain, 12, plain.length - 12, out, 12, 0x5501a0b2, 0xf17b);
            if (!hex.formatHex(out).equals(sealed)) {
                return "sealed " + hex.formatHex(out);
            }
            if (!cipher.unprotectRtp(out, 0, 12, plain.length - 12, 0x5501a0b2, 0xf17b)
                    || !hex.formatHex(out, 0, plain.length).equals(hex.formatHex(plain))) {
                return "the sealed vector did not open";
            }
            byte[] forged = hex.parseHex(sealed);
            forged[forged.length - 1] ^= 1;
            if (cipher.unprotectRtp(forged, 0, 12, plain.length - 12, 0x5501a0b2, 0xf17b)) {
                return "a changed tag verified";
            }
            return null;
        } catch (RuntimeException | Error e) {
            return e.toString();
        }
    }
}
