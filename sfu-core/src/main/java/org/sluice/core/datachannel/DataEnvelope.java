package org.sluice.core.datachannel;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One room message on an addressed data channel (a channel whose DCEP protocol is {@link #PROTOCOL}): a topic, a
 * list of participant ids, and the payload, text or binary. From a client the ids name the recipients (none: the
 * topic's subscribers, or the whole room without a topic); from the server the one id names the sender. The wire
 * format, always sent as a binary message:
 *
 * <pre>
 * byte 0      version (1)
 * byte 1      flags: bit 0 set = the payload is UTF-8 text; other bits 0
 * byte 2      topic length T (0–{@value #MAX_TOPIC_BYTES}), then T bytes of UTF-8 topic
 * next byte   id count N (0–{@value #MAX_IDS}), then N times: length L (1–{@value #MAX_ID_BYTES}), L bytes UTF-8
 * the rest    payload
 * </pre>
 *
 * Parsing treats the bytes as hostile: every length is checked against what is left, text must be valid UTF-8, and
 * anything wrong gives {@code null}, never an exception.
 */
public record DataEnvelope(String topic, List<String> participants, boolean text, byte[] payload) {

    /** The DCEP protocol string of an addressed channel. */
    public static final String PROTOCOL = "sluice-data.v1";
    public static final int VERSION = 1;
    public static final int MAX_TOPIC_BYTES = 64;
    public static final int MAX_IDS = 64;
    public static final int MAX_ID_BYTES = 64;
    private static final int FLAG_TEXT = 1;

    public DataEnvelope {
        topic = topic == null ? "" : topic;
        participants = List.copyOf(participants);
    }

    /** The envelope in {@code data}, or null if it is not a well-formed version 1 envelope. */
    public static DataEnvelope parse(byte[] data) {
        if (data == null || data.length < 4 || (data[0] & 0xff) != VERSION) {
            return null;
        }
        int flags = data[1] & 0xff;
        if ((flags & ~FLAG_TEXT) != 0) {
            return null;
        }
        int at = 2;
        int topicLength = data[at++] & 0xff;
        if (topicLength > MAX_TOPIC_BYTES || at + topicLength >= data.length) {
            return null;
        }
        String topic = utf8(data, at, topicLength);
        if (topic == null) {
            return null;
        }
        at += topicLength;
        int count = data[at++] & 0xff;
        if (count > MAX_IDS) {
            return null;
        }
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (at >= data.length) {
                return null;
            }
            int length = data[at++] & 0xff;
            if (length == 0 || length > MAX_ID_BYTES || at + length > data.length) {
                return null;
            }
            String id = utf8(data, at, length);
            if (id == null) {
                return null;
            }
            ids.add(id);
            at += length;
        }
        byte[] payload = new byte[data.length - at];
        System.arraycopy(data, at, payload, 0, payload.length);
        boolean text = (flags & FLAG_TEXT) != 0;
        if (text && utf8(payload, 0, payload.length) == null) {
            return null;
        }
        return new DataEnvelope(topic, ids, text, payload);
    }

    /** The wire form; throws {@link IllegalArgumentException} if a field is over its limit. */
    public byte[] encode() {
        byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        if (topicBytes.length > MAX_TOPIC_BYTES || participants.size() > MAX_IDS) {
            throw new IllegalArgumentException("topic or participant list too long");
        }
        byte[][] idBytes = new byte[participants.size()][];
        int size = 4 + topicBytes.length + payload.length;
        for (int i = 0; i < idBytes.length; i++) {
            idBytes[i] = participants.get(i).getBytes(StandardCharsets.UTF_8);
            if (idBytes[i].length == 0 || idBytes[i].length > MAX_ID_BYTES) {
                throw new IllegalArgumentException("participant id empty or too long");
            }
            size += 1 + idBytes[i].length;
        }
        byte[] out = new byte[size];
        int at = 0;
        out[at++] = VERSION;
        out[at++] = (byte) (text ? FLAG_TEXT : 0);
        out[at++] = (byte) topicBytes.length;
        System.arraycopy(topicBytes, 0, out, at, topicBytes.length);
        at += topicBytes.length;
        out[at++] = (byte) idBytes.length;
        for (byte[] id : idBytes) {
            out[at++] = (byte) id.length;
            System.arraycopy(id, 0, out, at, id.length);
            at += id.length;
        }
        System.arraycopy(payload, 0, out, at, payload.length);
        return out;
    }

    /** Whether a topic fits the envelope: at most {@value #MAX_TOPIC_BYTES} bytes of UTF-8. */
    public static boolean validTopic(String topic) {
        return topic != null && topic.getBytes(StandardCharsets.UTF_8).length <= MAX_TOPIC_BYTES;
    }

    /** Whether a participant id fits the envelope: 1 to {@value #MAX_ID_BYTES} bytes of UTF-8. */
    public static boolean validId(String id) {
        if (id == null || id.isEmpty()) {
            return false;
        }
        return id.getBytes(StandardCharsets.UTF_8).length <= MAX_ID_BYTES;
    }

    private static String utf8(byte[] data, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(data, offset, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
