package org.sluice.core.datachannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link DataEnvelope}: the wire format, its limits, and hostile input. */
class DataEnvelopeTest {

    @Test
    void textAndBinaryRoundTripWithTheDocumentedBytes() {
        DataEnvelope text = new DataEnvelope("chat", List.of("PAb", "PAc"), true,
                "héllo".getBytes(StandardCharsets.UTF_8));
        byte[] wire = text.encode();
        assertThat(wire).startsWith(1, 1, 4, 'c', 'h', 'a', 't', 2, 3, 'P', 'A', 'b', 3, 'P', 'A', 'c');
        DataEnvelope back = DataEnvelope.parse(wire);
        assertThat(back.topic()).isEqualTo("chat");
        assertThat(back.participants()).containsExactly("PAb", "PAc");
        assertThat(back.text()).isTrue();
        assertThat(new String(back.payload(), StandardCharsets.UTF_8)).isEqualTo("héllo");

        DataEnvelope binary = DataEnvelope.parse(new DataEnvelope(null, List.of(), false, new byte[] {0, -1}).encode());
        assertThat(binary.topic()).isEmpty();
        assertThat(binary.participants()).isEmpty();
        assertThat(binary.text()).isFalse();
        assertThat(binary.payload()).containsExactly(0, -1);
        assertThat(DataEnvelope.parse(new byte[] {1, 0, 0, 0}).payload()).isEmpty();
    }

    @Test
    void malformedInputParsesToNull() {
        assertThat(DataEnvelope.parse(null)).isNull();
        assertThat(DataEnvelope.parse(new byte[] {1, 0, 0})).as("short").isNull();
        assertThat(DataEnvelope.parse(new byte[] {2, 0, 0, 0})).as("version").isNull();
        assertThat(DataEnvelope.parse(new byte[] {1, 2, 0, 0})).as("unknown flag").isNull();
        assertThat(DataEnvelope.parse(new byte[] {1, 0, 9, 0})).as("topic past the end").isNull();
        assertThat(DataEnvelope.parse(new byte[] {1, 0, 1, 'a'})).as("no id count").isNull();
        assertThat(DataEnvelope.parse(new byte[] {1, 0, 0, 1, 5, 'a'})).as("id past the end").isNull();
        assertThat(DataEnvelope.parse(new byte[] {1, 0, 0, 1, 0, 'a'})).as("empty id").isNull();
        assertThat(DataEnvelope.parse(new byte[] {1, 0, 0, 65})).as("too many ids").isNull();
        assertThat(DataEnvelope.parse(new byte[] {1, 1, 0, 0, (byte) 0xff})).as("text not UTF-8").isNull();
        assertThat(DataEnvelope.parse(new byte[] {1, 0, 1, (byte) 0xc3, 0})).as("topic not UTF-8").isNull();
        byte[] longTopic = new byte[70];
        longTopic[0] = 1;
        longTopic[2] = 65;
        assertThat(DataEnvelope.parse(longTopic)).as("topic over 64 bytes").isNull();
    }

    @Test
    void fieldsOverTheirLimitsAreNotEncoded() {
        assertThatThrownBy(() -> new DataEnvelope("t".repeat(65), List.of(), true, new byte[0]).encode())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DataEnvelope("", List.of(""), true, new byte[0]).encode())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DataEnvelope.validTopic("é".repeat(32))).isTrue();
        assertThat(DataEnvelope.validTopic("é".repeat(33))).isFalse();
    }

    @Test
    void randomAndMutatedBytesNeverThrow() {
        Random random = new Random(8);
        byte[] valid = new DataEnvelope("topic", List.of("PA1", "PA2"), true, "payload".getBytes(StandardCharsets.UTF_8))
                .encode();
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(40)];
                random.nextBytes(input);
            } else {
                input = valid.clone();
                input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                if (random.nextBoolean()) {
                    input = java.util.Arrays.copyOf(input, random.nextInt(input.length + 1));
                }
            }
            DataEnvelope envelope = DataEnvelope.parse(input);
            if (envelope != null) {
                parsed++;
                assertThat(DataEnvelope.parse(envelope.encode())).as("what parses re-encodes").isNotNull();
            }
        }
        assertThat(parsed).as("some mutations stay well-formed").isPositive();
    }
}
