package org.sluice.rtp.srtp;

import java.nio.ByteBuffer;

/**
 * One thread's native memory for {@link OpenSslGcmCipher}: the fixed fields OpenSSL reads and writes (IV, tag,
 * output length, one associated-data word, a key while it is installed) and one packet, sealed or opened in place.
 *
 * <p>Every cipher used on a thread shares that thread's workspace ({@link OpenSslGcm#workspace()}). A cipher
 * operation never calls another, so one packet's bytes are in it at a time. Sharing matters on the forwarding path:
 * a media loop seals each forwarded packet once per receiver, each with its own cipher, and one workspace stays in
 * the core's cache where a block per cipher (hundreds of receivers) would have each packet's copies miss it.
 */
final class OpenSslWorkspace {

    static final int OUT_LENGTH = 0;
    static final int TAG_AT = 16;
    static final int IV_AT = 32;
    static final int AAD_WORD_AT = 48;
    static final int KEY_AT = 64;
    static final int DATA = 128;
    /** Room for an ordinary packet; a larger one grows the workspace once. */
    private static final int INITIAL_DATA = 2048;

    private final OpenSslGcm ssl;
    /** Big-endian: the E|index word and the IV are written as on the wire. */
    ByteBuffer block;
    /** A view of {@link #block} whose position and limit the buffer copies may set. */
    ByteBuffer window;
    /** The native address of {@link #block}'s first byte. */
    long base;

    OpenSslWorkspace(OpenSslGcm ssl) {
        this.ssl = ssl;
        allocate(INITIAL_DATA);
    }

    /** Makes room for {@code data} bytes of packet at {@link #DATA}; the contents are not kept across a growth. */
    OpenSslWorkspace ensure(int data) {
        if (DATA + data > block.capacity()) {
            allocate(Math.max(data, 2 * (block.capacity() - DATA)));
        }
        return this;
    }

    private void allocate(int data) {
        block = ByteBuffer.allocateDirect(DATA + data);
        window = block.duplicate();
        base = ssl.address(block);
    }
}
