package org.sluice.api.conference;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.sluice.core.conference.Layer;
import org.sluice.core.conference.SubscriptionPreferences;
import org.sluice.core.conference.TrackPublication;
import org.sluice.core.conference.TrackSource;
import org.sluice.core.datachannel.DataEnvelope;

/**
 * Turns one client text message into a validated {@link Decoded}. Input is hostile: nothing throws out of
 * {@link #decode}; non-objects and invalid JSON are {@code bad_json}, missing or mistyped fields
 * {@code bad_message} (the reason names the field), an unknown {@code type} {@code unknown_type}, a {@code v}
 * other than 1 {@code unsupported_version}. Unknown fields are ignored. Stateless and thread-safe.
 */
public final class ProtocolCodec {

    /** The protocol version this server speaks. */
    public static final int VERSION = 1;
    /** Longest {@code id}, as a string or the text of a number. */
    public static final int MAX_ID_LENGTH = 64;
    /** Longest display name. */
    public static final int MAX_NAME_LENGTH = 128;
    /** Largest metadata, as JSON text in UTF-8 bytes. */
    public static final int MAX_METADATA_BYTES = 4096;

    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_.~-]{1,128}");
    private static final int MAX_SDP = 64 * 1024;
    private static final int MAX_TOKEN = 256;
    private static final int MAX_LIST = 256;
    private static final int MAX_LAYERS = 8;
    /** Longest {@code data} field: the whole message is limited to 64 KiB anyway. */
    private static final int MAX_DATA = 64 * 1024;
    private static final int MAX_TOPICS = 64;
    private static final int MAX_DIMENSION = 65535;
    /** Highest {@code maxFramerate} accepted (frames per second). */
    private static final double MAX_FRAMERATE = 1000;
    /** Scalability modes as WebRTC-SVC names them (L1T3, L3T3_KEY, S2T1, L2T2h ...). */
    private static final Pattern SCALABILITY_MODE = Pattern.compile("[LS][1-8]T[1-8](h|_KEY|_KEY_SHIFT)?");

    /** Decodes {@code text}; never throws. */
    public Decoded decode(String text) {
        JsonObject json;
        try {
            Object value = text == null ? null : Json.decodeValue(text);
            if (!(value instanceof JsonObject object)) {
                return Decoded.failed(null, ErrorCode.BAD_JSON, "the message is not a JSON object");
            }
            json = object;
        } catch (RuntimeException | StackOverflowError e) {
            return Decoded.failed(null, ErrorCode.BAD_JSON, "the message is not valid JSON");
        }
        Object rawId = json.getValue("id");
        if (rawId != null && !isValidId(rawId)) {
            return Decoded.failed(null, ErrorCode.BAD_MESSAGE,
                    "id must be a string or number of at most " + MAX_ID_LENGTH + " characters");
        }
        try {
            return decodeObject(rawId, json);
        } catch (FieldReader.BadField e) {
            return Decoded.failed(rawId, ErrorCode.BAD_MESSAGE, e.getMessage());
        } catch (RuntimeException e) {
            return Decoded.failed(rawId, ErrorCode.BAD_MESSAGE, "the message is not valid");
        }
    }

    private Decoded decodeObject(Object id, JsonObject json) {
        if (json.containsKey("v")) {
            Object v = json.getValue("v");
            if (!(v instanceof Number number) || number.doubleValue() != VERSION) {
                return Decoded.failed(id, ErrorCode.UNSUPPORTED_VERSION, "this server speaks protocol version 1");
            }
        }
        FieldReader fields = new FieldReader(json, "");
        String type = fields.string("type", 32);
        ClientMessage message = switch (type) {
            case "join" -> join(fields);
            case "offer" -> offer(fields);
            case "trickle" -> trickle(fields);
            case "unpublish" -> new ClientMessage.Unpublish(fields.string("trackId", MAX_TOKEN));
            case "mute" -> new ClientMessage.Mute(fields.string("trackId", MAX_TOKEN), fields.bool("muted"));
            case "subscribe" -> new ClientMessage.Subscribe(fields.strings("trackIds", MAX_LIST, MAX_TOKEN));
            case "unsubscribe" -> new ClientMessage.Unsubscribe(fields.strings("trackIds", MAX_LIST, MAX_TOKEN));
            case "preferences" -> preferences(fields);
            case "update" -> new ClientMessage.Update(fields.optionalString("name", MAX_NAME_LENGTH),
                    metadata(fields));
            case "leave" -> new ClientMessage.Leave();
            case "answered" -> new ClientMessage.Answered();
            case "ping" -> new ClientMessage.Ping();
            case "data" -> data(fields);
            case "dataTopics" -> dataTopics(fields);
            default -> null;
        };
        if (message == null) {
            return Decoded.failed(id, ErrorCode.UNKNOWN_TYPE, "unknown message type");
        }
        return Decoded.ok(id, message);
    }

    private static ClientMessage join(FieldReader fields) {
        ClientMessage.Resume resume = null;
        if (fields.raw("resume") != null) {
            FieldReader r = fields.object("resume");
            resume = new ClientMessage.Resume(r.string("participantId", MAX_TOKEN), r.string("resumeToken", MAX_TOKEN));
        }
        String room = resume == null || fields.raw("room") != null ? room(fields) : null;
        String name = fields.optionalString("name", MAX_NAME_LENGTH);
        Boolean autoSubscribe = fields.optionalBool("autoSubscribe");
        return new ClientMessage.Join(room, name == null ? "" : name, metadata(fields),
                autoSubscribe == null || autoSubscribe, resume);
    }

    private static String room(FieldReader fields) {
        String room = fields.string("room", 128);
        if (!ROOM.matcher(room).matches()) {
            throw new FieldReader.BadField("room must match [A-Za-z0-9_.~-]{1,128}");
        }
        return room;
    }

    /** The metadata field as JSON text ({@code null} when absent); any JSON value of at most 4 KiB. */
    private static String metadata(FieldReader fields) {
        if (!fields.has("metadata")) {
            return null;
        }
        String text = Json.encode(fields.raw("metadata"));
        if (text.length() > MAX_METADATA_BYTES
                || text.getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
            throw new FieldReader.BadField("metadata is larger than " + MAX_METADATA_BYTES + " bytes");
        }
        return text;
    }

    private static ClientMessage offer(FieldReader fields) {
        String sdp = fields.string("sdp", MAX_SDP);
        List<TrackPublication> publications = new ArrayList<>();
        if (fields.raw("publish") != null) {
            for (FieldReader entry : fields.objects("publish", MAX_LIST)) {
                String mid = entry.string("mid", MAX_TOKEN);
                TrackSource source = TrackSource.fromWireName(entry.string("source", 32));
                if (source == null) {
                    throw new FieldReader.BadField(entry.name("source")
                            + " must be camera, microphone, screen, screen_audio or unknown");
                }
                Boolean muted = entry.optionalBool("muted");
                List<Layer> layers = new ArrayList<>();
                if (entry.raw("layers") != null) {
                    for (FieldReader layer : entry.objects("layers", MAX_LAYERS)) {
                        Integer width = layer.optionalInteger("width", 0, MAX_DIMENSION);
                        Integer height = layer.optionalInteger("height", 0, MAX_DIMENSION);
                        layers.add(new Layer(layer.string("rid", 32), width == null ? 0 : width,
                                height == null ? 0 : height));
                    }
                }
                Integer width = entry.optionalInteger("width", 0, MAX_DIMENSION);
                Integer height = entry.optionalInteger("height", 0, MAX_DIMENSION);
                String mode = entry.optionalString("scalabilityMode", 32);
                if (mode != null && !SCALABILITY_MODE.matcher(mode).matches()) {
                    throw new FieldReader.BadField(entry.name("scalabilityMode")
                            + " must be a scalability mode such as L1T3 or L3T3_KEY");
                }
                publications.add(new TrackPublication(mid, source, muted != null && muted, layers,
                        width == null ? 0 : width, height == null ? 0 : height, mode));
            }
        }
        return new ClientMessage.Offer(sdp, publications);
    }

    private static ClientMessage trickle(FieldReader fields) {
        if (!fields.has("candidate")) {
            throw new FieldReader.BadField("candidate is missing");
        }
        if (fields.raw("candidate") != null) {
            fields.object("candidate");
        }
        return new ClientMessage.Trickle();
    }

    /**
     * {@code data}: {@code data} (text, or base64 with {@code binary: true}), {@code to} (participant ids),
     * {@code topic}, {@code reliable} (default true).
     */
    private static ClientMessage data(FieldReader fields) {
        String data = fields.string("data", MAX_DATA);
        Boolean binary = fields.optionalBool("binary");
        byte[] payload;
        if (binary != null && binary) {
            try {
                payload = Base64.getDecoder().decode(data);
            } catch (IllegalArgumentException e) {
                throw new FieldReader.BadField("data must be base64 when binary is true");
            }
        } else {
            payload = data.getBytes(StandardCharsets.UTF_8);
        }
        List<String> to = fields.raw("to") == null ? List.of()
                : fields.strings("to", DataEnvelope.MAX_IDS, DataEnvelope.MAX_ID_BYTES);
        String topic = fields.optionalString("topic", DataEnvelope.MAX_TOPIC_BYTES);
        if (topic != null && !DataEnvelope.validTopic(topic)) {
            throw new FieldReader.BadField("topic is longer than " + DataEnvelope.MAX_TOPIC_BYTES + " bytes");
        }
        for (String id : to) {
            if (!DataEnvelope.validId(id)) {
                throw new FieldReader.BadField("to must list participant ids of 1 to "
                        + DataEnvelope.MAX_ID_BYTES + " bytes");
            }
        }
        Boolean reliable = fields.optionalBool("reliable");
        return new ClientMessage.Data(new DataEnvelope(topic, to, binary == null || !binary, payload),
                reliable == null || reliable);
    }

    /** {@code dataTopics}: {@code topics}, a list of topics or {@code null} for all. */
    private static ClientMessage dataTopics(FieldReader fields) {
        if (!fields.has("topics")) {
            throw new FieldReader.BadField("topics is missing");
        }
        if (fields.raw("topics") == null) {
            return new ClientMessage.DataTopics(null);
        }
        List<String> topics = fields.strings("topics", MAX_TOPICS, DataEnvelope.MAX_TOPIC_BYTES);
        for (String topic : topics) {
            if (!DataEnvelope.validTopic(topic)) {
                throw new FieldReader.BadField("topics must be at most " + DataEnvelope.MAX_TOPIC_BYTES + " bytes each");
            }
        }
        return new ClientMessage.DataTopics(topics);
    }

    private static ClientMessage preferences(FieldReader fields) {
        String trackId = fields.string("trackId", MAX_TOKEN);
        boolean setsMaxLayer = fields.has("maxLayer");
        return new ClientMessage.Preferences(trackId, fields.optionalBool("paused"),
                fields.optionalInteger("maxHeight", 0, MAX_DIMENSION), setsMaxLayer,
                fields.optionalString("maxLayer", 32), fields.optionalInteger("priority", 0, 255),
                fields.optionalNumber("maxFramerate", 0, MAX_FRAMERATE),
                fields.optionalInteger("maxSpatialLayer", -1, SubscriptionPreferences.MAX_LAYER_ID),
                fields.optionalInteger("maxTemporalLayer", -1, SubscriptionPreferences.MAX_LAYER_ID));
    }

    private static boolean isValidId(Object id) {
        if (id instanceof String text) {
            return text.length() <= MAX_ID_LENGTH;
        }
        if (id instanceof Number number) {
            String text = number instanceof BigDecimal decimal ? decimal.toString() : number.toString();
            return text.length() <= MAX_ID_LENGTH;
        }
        return false;
    }
}
