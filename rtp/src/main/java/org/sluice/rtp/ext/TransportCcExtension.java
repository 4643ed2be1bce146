package org.sluice.rtp.ext;

/**
 * Transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01): a 16-bit
 * counter over all packets of a transport, read on ingress and rewritten per egress transport.
 */
public final class TransportCcExtension {

    /** Data length of the element. */
    public static final int LENGTH = 2;

    private TransportCcExtension() {
    }

    /** The sequence number in element {@code id}, or -1 when absent or not 2 bytes. */
    public static int read(HeaderExtensions ext, int id) {
        int h = ext.find(id);
        if (h < 0 || ext.lengthAt(h) != LENGTH) {
            return -1;
        }
        return ext.buffer().getUnsignedShort(h);
    }

    /** Rewrites element {@code id} in place; false when absent or not 2 bytes. */
    public static boolean write(HeaderExtensions ext, int id, int sequenceNumber) {
        int h = ext.find(id);
        if (h < 0 || ext.lengthAt(h) != LENGTH) {
            return false;
        }
        ext.buffer().setShort(h, sequenceNumber);
        return true;
    }
}
