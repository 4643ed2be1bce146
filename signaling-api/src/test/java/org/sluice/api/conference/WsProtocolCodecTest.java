package org.sluice.api.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sluice.core.conference.Layer;
import org.sluice.core.conference.SubscriptionPreferences;
import org.sluice.core.conference.TrackPublication;
import org.sluice.core.conference.TrackSource;

/** {@link ProtocolCodec} on valid, malformed and random input. */
class WsProtocolCodecTest {

    private final ProtocolCodec codec = new ProtocolCodec();

    private Decoded decode(JsonObject json) {
        return codec.decode(json.encode());
    }

    private void assertFails(String text, ErrorCode code, String reasonPart) {
        Decoded decoded = codec.decode(text);
        assertThat(decoded.isValid()).as(text).isFalse();
        assertThat(decoded.error()).as(text).isEqualTo(code);
        assertThat(decoded.reason()).as(text).contains(reasonPart);
    }

    @Test
    void everyTypeDecodes() {
        assertThat(codec.decode("{\"type\":\"join\",\"room\":\"a.b~c-d_e\",\"id\":\"1\",\"v\":1}").message())
                .isEqualTo(new ClientMessage.Join("a.b~c-d_e", "", null, true, null));
        assertThat(codec.decode("{\"type\":\"join\",\"resume\":{\"participantId\":\"p\",\"resumeToken\":\"t\"}}")
                .message()).isEqualTo(new ClientMessage.Join(null, "", null, true, new ClientMessage.Resume("p", "t")));
        assertThat(codec.decode("{\"type\":\"join\",\"room\":\"r\",\"metadata\":null}").message())
                .isEqualTo(new ClientMessage.Join("r", "", "null", true, null));
        assertThat(codec.decode("{\"type\":\"offer\",\"sdp\":\"v=0\",\"publish\":[{\"mid\":\"1\",\"source\":\"screen\","
                + "\"layers\":[{\"rid\":\"h\",\"width\":640,\"height\":360}]}]}").message())
                .isEqualTo(new ClientMessage.Offer("v=0", List.of(new TrackPublication("1", TrackSource.SCREEN, false,
                        List.of(new Layer("h", 640, 360))))));
        assertThat(codec.decode("{\"type\":\"preferences\",\"trackId\":\"t\",\"maxLayer\":null}").message())
                .isEqualTo(new ClientMessage.Preferences("t", null, null, true, null, null));
        assertThat(codec.decode("{\"type\":\"update\"}").message()).isEqualTo(new ClientMessage.Update(null, null));
        assertThat(codec.decode("{\"type\":\"leave\"}").message()).isEqualTo(new ClientMessage.Leave());
        assertThat(codec.decode("{\"type\":\"answered\"}").message()).isEqualTo(new ClientMessage.Answered());
        assertThat(codec.decode("{\"type\":\"trickle\",\"candidate\":null}").message())
                .isEqualTo(new ClientMessage.Trickle());
        assertThat(codec.decode("{\"type\":\"ping\",\"id\":12,\"extra\":[1,2]}").id()).isEqualTo(12);
    }

    @Test
    void layerPreferencesAndPublishedScalabilityDecode() {
        assertThat(codec.decode("{\"type\":\"preferences\",\"trackId\":\"t\",\"maxFramerate\":7.5,"
                + "\"maxSpatialLayer\":1,\"maxTemporalLayer\":-1}").message())
                .isEqualTo(new ClientMessage.Preferences("t", null, null, false, null, null, 7.5, 1, -1));
        assertThat(codec.decode("{\"type\":\"preferences\",\"trackId\":\"t\",\"maxFramerate\":15}").message())
                .isEqualTo(new ClientMessage.Preferences("t", null, null, false, null, null, 15.0, null, null));
        assertThat(codec.decode("{\"type\":\"preferences\",\"trackId\":\"t\",\"maxFramerate\":null}").message())
                .isEqualTo(new ClientMessage.Preferences("t", null, null, false, null, null));
        assertThat(codec.decode("{\"type\":\"offer\",\"sdp\":\"v=0\",\"publish\":[{\"mid\":\"1\",\"source\":\"camera\","
                + "\"width\":1280,\"height\":720,\"scalabilityMode\":\"L3T3_KEY\"}]}").message())
                .isEqualTo(new ClientMessage.Offer("v=0", List.of(new TrackPublication("1", TrackSource.CAMERA, false,
                        List.of(), 1280, 720, "L3T3_KEY"))));
        for (String mode : List.of("L1T3", "L1T1", "L2T2h", "L3T3_KEY_SHIFT", "S3T3")) {
            Decoded decoded = codec.decode("{\"type\":\"offer\",\"sdp\":\"v=0\",\"publish\":[{\"mid\":\"1\","
                    + "\"source\":\"camera\",\"scalabilityMode\":\"" + mode + "\"}]}");
            assertThat(((ClientMessage.Offer) decoded.message()).publications().get(0).scalabilityMode()).isEqualTo(mode);
        }
    }

    @Test
    void badLayerPreferencesAreRefusedByName() {
        assertFails("{\"type\":\"preferences\",\"trackId\":\"t\",\"maxFramerate\":-1}", ErrorCode.BAD_MESSAGE,
                "maxFramerate must be between 0 and 1000");
        assertFails("{\"type\":\"preferences\",\"trackId\":\"t\",\"maxFramerate\":1e300}", ErrorCode.BAD_MESSAGE,
                "maxFramerate must be between");
        assertFails("{\"type\":\"preferences\",\"trackId\":\"t\",\"maxFramerate\":\"15\"}", ErrorCode.BAD_MESSAGE,
                "maxFramerate must be a number");
        assertFails("{\"type\":\"preferences\",\"trackId\":\"t\",\"maxTemporalLayer\":8}", ErrorCode.BAD_MESSAGE,
                "maxTemporalLayer must be between -1 and 7");
        assertFails("{\"type\":\"preferences\",\"trackId\":\"t\",\"maxSpatialLayer\":-2}", ErrorCode.BAD_MESSAGE,
                "maxSpatialLayer must be between -1 and 7");
        assertFails("{\"type\":\"preferences\",\"trackId\":\"t\",\"maxSpatialLayer\":0.5}", ErrorCode.BAD_MESSAGE,
                "maxSpatialLayer must be an integer");
        assertFails("{\"type\":\"offer\",\"sdp\":\"x\",\"publish\":[{\"mid\":\"0\",\"source\":\"camera\","
                + "\"scalabilityMode\":\"L9T3\"}]}", ErrorCode.BAD_MESSAGE, "publish[0].scalabilityMode must be");
        assertFails("{\"type\":\"offer\",\"sdp\":\"x\",\"publish\":[{\"mid\":\"0\",\"source\":\"camera\","
                + "\"height\":-720}]}", ErrorCode.BAD_MESSAGE, "publish[0].height");
    }

    @Test
    void aPreferencesMessageChangesOnlyTheLimitsItCarries() {
        PreferenceBook book = new PreferenceBook();
        SubscriptionPreferences first = book.merged(new ClientMessage.Preferences("t", null, 360, false, null, null,
                15.0, null, null));
        assertThat(first).isEqualTo(new SubscriptionPreferences(false, 360, null, 100, 15, -1, -1));
        book.remember("t", first);
        SubscriptionPreferences second = book.merged(new ClientMessage.Preferences("t", null, null, false, null, null,
                null, null, 1));
        assertThat(second).isEqualTo(new SubscriptionPreferences(false, 360, null, 100, 15, -1, 1));
        book.remember("t", second);
        assertThat(book.merged(new ClientMessage.Preferences("t", null, 0, false, null, null, 0.0, null, -1)))
                .isEqualTo(SubscriptionPreferences.DEFAULT);
    }

    @Test
    void roomMessagesDecodeAndBadOnesAreRefusedByName() {
        ClientMessage.Data text = (ClientMessage.Data) codec.decode(
                "{\"type\":\"data\",\"data\":\"hi\",\"to\":[\"PA1\"],\"topic\":\"chat\",\"reliable\":false}")
                .message();
        assertThat(text.reliable()).isFalse();
        assertThat(text.envelope().text()).isTrue();
        assertThat(text.envelope().topic()).isEqualTo("chat");
        assertThat(text.envelope().participants()).containsExactly("PA1");
        assertThat(text.envelope().payload()).isEqualTo("hi".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ClientMessage.Data binary = (ClientMessage.Data) codec.decode(
                "{\"type\":\"data\",\"data\":\"AP8=\",\"binary\":true}").message();
        assertThat(binary.reliable()).isTrue();
        assertThat(binary.envelope().text()).isFalse();
        assertThat(binary.envelope().payload()).containsExactly(0, 0xff);
        assertThat(codec.decode("{\"type\":\"dataTopics\",\"topics\":null}").message())
                .isEqualTo(new ClientMessage.DataTopics(null));
        assertThat(codec.decode("{\"type\":\"dataTopics\",\"topics\":[\"a\",\"b\"]}").message())
                .isEqualTo(new ClientMessage.DataTopics(List.of("a", "b")));

        assertFails("{\"type\":\"data\"}", ErrorCode.BAD_MESSAGE, "data");
        assertFails("{\"type\":\"data\",\"data\":\"%%\",\"binary\":true}", ErrorCode.BAD_MESSAGE, "base64");
        assertFails("{\"type\":\"data\",\"data\":\"x\",\"topic\":\"" + "é".repeat(40) + "\"}",
                ErrorCode.BAD_MESSAGE, "topic");
        assertFails("{\"type\":\"data\",\"data\":\"x\",\"to\":[\"\"]}", ErrorCode.BAD_MESSAGE, "to");
        assertFails("{\"type\":\"data\",\"data\":\"x\",\"to\":\"PA1\"}", ErrorCode.BAD_MESSAGE, "to");
        assertFails("{\"type\":\"dataTopics\"}", ErrorCode.BAD_MESSAGE, "topics");
        assertFails("{\"type\":\"dataTopics\",\"topics\":[1]}", ErrorCode.BAD_MESSAGE, "topics");
    }

    @Test
    void malformedInputGetsItsCode() {
        assertFails("[]", ErrorCode.BAD_JSON, "not a JSON object");
        assertFails("{\"type\":", ErrorCode.BAD_JSON, "not valid JSON");
        assertFails("\u0000", ErrorCode.BAD_JSON, "JSON");
        assertFails("{}", ErrorCode.BAD_MESSAGE, "type is missing");
        assertFails("{\"type\":\"join\"}", ErrorCode.BAD_MESSAGE, "room is missing");
        assertFails("{\"type\":\"join\",\"room\":\"a b\"}", ErrorCode.BAD_MESSAGE, "room must match");
        assertFails("{\"type\":\"join\",\"room\":\"r\",\"name\":\"" + "n".repeat(129) + "\"}", ErrorCode.BAD_MESSAGE,
                "name is longer");
        assertFails("{\"type\":\"join\",\"room\":\"r\",\"autoSubscribe\":1}", ErrorCode.BAD_MESSAGE,
                "autoSubscribe must be a boolean");
        assertFails("{\"type\":\"join\",\"resume\":{\"participantId\":\"p\"}}", ErrorCode.BAD_MESSAGE,
                "resume.resumeToken is missing");
        assertFails("{\"type\":\"offer\",\"sdp\":\"x\",\"publish\":[{\"mid\":\"0\",\"source\":\"camera\","
                + "\"layers\":[{\"rid\":\"q\",\"width\":-1}]}]}", ErrorCode.BAD_MESSAGE, "publish[0].layers[0].width");
        assertFails("{\"type\":\"subscribe\",\"trackIds\":[1]}", ErrorCode.BAD_MESSAGE, "trackIds[0]");
        assertFails("{\"type\":\"trickle\"}", ErrorCode.BAD_MESSAGE, "candidate is missing");
        assertFails("{\"type\":\"preferences\",\"trackId\":\"t\",\"maxHeight\":1.5}", ErrorCode.BAD_MESSAGE,
                "maxHeight must be an integer");
        assertFails("{\"type\":\"preferences\",\"trackId\":\"t\",\"priority\":1e300}", ErrorCode.BAD_MESSAGE,
                "priority");
        assertFails("{\"type\":\"fly\"}", ErrorCode.UNKNOWN_TYPE, "unknown");
        assertFails("{\"type\":\"ping\",\"v\":2}", ErrorCode.UNSUPPORTED_VERSION, "version 1");
        assertFails("{\"type\":\"ping\",\"v\":null}", ErrorCode.UNSUPPORTED_VERSION, "version 1");
        assertFails("{\"type\":\"ping\",\"id\":true}", ErrorCode.BAD_MESSAGE, "id must be");
        assertFails("{\"type\":\"ping\",\"id\":" + BigInteger.TEN.pow(70) + "}", ErrorCode.BAD_MESSAGE, "id must be");
        assertFails("{\"type\":\"update\",\"metadata\":\"" + "é".repeat(2100) + "\"}", ErrorCode.BAD_MESSAGE,
                "metadata is larger");
    }

    @Test
    void aValidIdIsKeptWhenTheRestFails() {
        Decoded decoded = decode(new JsonObject().put("type", "mute").put("id", "x7").put("trackId", "t"));
        assertThat(decoded.error()).isEqualTo(ErrorCode.BAD_MESSAGE);
        assertThat(decoded.id()).isEqualTo("x7");
        assertThat(decoded.reason()).isEqualTo("muted is missing");
    }

    @Test
    void deeplyNestedJsonIsRefusedWithoutEscaping() {
        String deep = "{\"type\":\"update\",\"metadata\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        Decoded decoded = codec.decode(deep);
        assertThat(decoded.isValid()).isFalse();
    }

    @Test
    void randomAndMutatedInputNeverEscapes() {
        SplittableRandom random = new SplittableRandom(20261123L);
        List<String> seeds = List.of(
                "{\"type\":\"join\",\"id\":\"1\",\"room\":\"lobby\",\"name\":\"Ann\",\"metadata\":{\"a\":[1,2]},"
                        + "\"resume\":{\"participantId\":\"p\",\"resumeToken\":\"t\"}}",
                "{\"type\":\"offer\",\"id\":2,\"sdp\":\"v=0\",\"publish\":[{\"mid\":\"0\",\"source\":\"camera\","
                        + "\"muted\":true,\"layers\":[{\"rid\":\"q\",\"width\":320,\"height\":180}]}]}",
                "{\"type\":\"preferences\",\"trackId\":\"t\",\"paused\":false,\"maxHeight\":360,\"maxLayer\":\"h\","
                        + "\"priority\":7,\"maxFramerate\":7.5,\"maxSpatialLayer\":1,\"maxTemporalLayer\":0}",
                "{\"type\":\"offer\",\"sdp\":\"v=0\",\"publish\":[{\"mid\":\"0\",\"source\":\"camera\","
                        + "\"width\":1280,\"height\":720,\"scalabilityMode\":\"L3T3_KEY\"}]}",
                "{\"type\":\"subscribe\",\"trackIds\":[\"a\",\"b\"],\"v\":1}");
        String alphabet = "{}[]\":,0123456789.eE+-truefalsnl \\u\u00e9\ud83d\ude00";
        int valid = 0;
        for (int i = 0; i < 200_000; i++) {
            String seed = seeds.get(random.nextInt(seeds.size()));
            String text = switch (random.nextInt(4)) {
                case 0 -> seed.substring(0, random.nextInt(seed.length() + 1));
                case 1 -> mutate(seed, random, alphabet);
                case 2 -> randomText(random, alphabet, random.nextInt(64));
                default -> new String(randomBytes(random, random.nextInt(64)), StandardCharsets.UTF_8);
            };
            Decoded decoded = codec.decode(text);
            assertThat(decoded.isValid() != (decoded.error() != null)).isTrue();
            if (decoded.isValid()) {
                valid++;
            } else {
                assertThat(decoded.reason()).isNotEmpty();
            }
            if (decoded.id() != null) {
                assertThat(decoded.id()).isInstanceOfAny(String.class, Number.class);
            }
        }
        assertThat(valid).isPositive();
    }

    private static String mutate(String seed, SplittableRandom random, String alphabet) {
        StringBuilder text = new StringBuilder(seed);
        for (int n = 1 + random.nextInt(4); n > 0 && text.length() > 0; n--) {
            int at = random.nextInt(text.length());
            switch (random.nextInt(3)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                default -> text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
            }
        }
        return text.toString();
    }

    private static String randomText(SplittableRandom random, String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    @Test
    void serverMessagesCarryIdsOnlyOnReplies() {
        assertThat(ServerMessages.ok("a")).isEqualTo(new JsonObject().put("type", "ok").put("id", "a"));
        assertThat(ServerMessages.error(null, "bad_json", "x").containsKey("id")).isFalse();
        assertThat(ServerMessages.iceServers(List.of())).isEqualTo(new JsonArray());
    }
}
