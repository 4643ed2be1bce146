package org.sluice.core.forward;

import org.sluice.rtp.ext.HeaderExtensions;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The SDES header extensions (RFC 8843 mid, RFC 8852 rtp-stream-id) that name one of our outbound streams to its
 * receiver, written into every packet of the stream. A receiver that learns simulcast layers by rid (an SFU's WHIP
 * ingest, another node of ours fed by a relay) then finds each layer without any {@code a=ssrc} signaling. Immutable;
 * the values are encoded once, so writing them allocates nothing.
 */
public final class StreamIdentity {

    private final int[] ids;
    private final byte[][] values;
    private final boolean needsTwoByte;
    private final int maxLength;

    private StreamIdentity(int[] ids, byte[][] values) {
        this.ids = ids;
        this.values = values;
        boolean twoByte = false;
        int length = 0;
        for (int i = 0; i < ids.length; i++) {
            twoByte |= ids[i] > HeaderExtensions.MAX_ONE_BYTE_ID || values[i].length > HeaderExtensions.MAX_ONE_BYTE_LENGTH;
            length += 2 + values[i].length;
        }
        this.needsTwoByte = twoByte;
        this.maxLength = length;
    }

    /**
     * The mid (with extension id {@code midId}) and, unless {@code rid} is null, the rid (with {@code ridId}); an
     * id of 0 leaves that element out.
     *
     * @throws IllegalArgumentException for an id over 255, or an empty or over-long (255 bytes) value
     */
    public static StreamIdentity of(int midId, String mid, int ridId, String rid) {
        int[] ids = new int[2];
        byte[][] values = new byte[2][];
        int n = 0;
        if (midId > 0) {
            ids[n] = checkId(midId);
            values[n++] = checkValue(Objects.requireNonNull(mid, "mid"));
        }
        if (ridId > 0 && rid != null) {
            ids[n] = checkId(ridId);
            values[n++] = checkValue(rid);
        }
        return new StreamIdentity(Arrays.copyOf(ids, n), Arrays.copyOf(values, n));
    }

    private static int checkId(int id) {
        if (id > HeaderExtensions.MAX_TWO_BYTE_ID) {
            throw new IllegalArgumentException("extension id " + id + " is over 255");
        }
        return id;
    }

    private static byte[] checkValue(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length > HeaderExtensions.MAX_TWO_BYTE_LENGTH) {
            throw new IllegalArgumentException("an SDES extension value is 1 to 255 bytes: '" + value + "'");
        }
        return bytes;
    }

    /** How many elements are written. */
    int count() {
        return ids.length;
    }

    int idAt(int i) {
        return ids[i];
    }

    byte[] valueAt(int i) {
        return values[i];
    }

    /** Whether the elements need the two-byte header form. */
    boolean needsTwoByte() {
        return needsTwoByte;
    }

    /** The most bytes the elements take (two-byte form). */
    int maxLength() {
        return maxLength;
    }

    /** Whether {@code id} is one of the ids written (a copied element with that id would clash). */
    boolean writes(int id) {
        for (int i : ids) {
            if (i == id) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("StreamIdentity[");
        for (int i = 0; i < ids.length; i++) {
            out.append(i == 0 ? "" : ", ").append(ids[i]).append('=')
                    .append(new String(values[i], StandardCharsets.US_ASCII));
        }
        return out.append(']').toString();
    }
}
