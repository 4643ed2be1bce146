package org.sluice.core.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sluice.core.datachannel.RoomDataRelay.Outcome;

/**
 * {@link RoomDataRelay}'s addressing over the socket route: the room, named participants, topics, the sender left
 * out, rate limits, leaving, and envelopes arriving on an addressed channel. (Deliveries onto data channels are shown
 * end to end by the browser tests.)
 */
class RoomDataRelayTest {

    private static final String ROOM = "r";

    private final AtomicLong now = new AtomicLong();
    private final RoomDataRelay relay = new RoomDataRelay(new RoomDataRelay.Limits(3, 1_000), now::get);
    private final List<String> delivered = new ArrayList<>();
    private boolean socketsUp = true;

    RoomDataRelayTest() {
        for (String id : List.of("A", "B", "C")) {
            relay.join(ROOM, id, (from, topic, text, payload) -> {
                if (!socketsUp) {
                    return false;
                }
                delivered.add(from + ">" + id + (topic.isEmpty() ? "" : "#" + topic) + ":"
                        + (text ? new String(payload, StandardCharsets.UTF_8) : "bin" + payload.length));
                return true;
            });
        }
    }

    private static DataEnvelope text(String topic, List<String> to, String body) {
        return new DataEnvelope(topic, to, true, body.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> drain() {
        List<String> out = List.copyOf(delivered);
        delivered.clear();
        now.addAndGet(1_000_000_000L); // a fresh second of rate for every step
        return out;
    }

    @Test
    void aMessageReachesTheRoomTheNamedOrTheTopicsFollowers() {
        assertThat(relay.send(ROOM, "A", text("", List.of(), "all"), true)).isEqualTo(Outcome.ROUTED);
        assertThat(drain()).containsExactlyInAnyOrder("A>B:all", "A>C:all");

        assertThat(relay.send(ROOM, "A", text("", List.of("C", "C", "A"), "you"), true)).isEqualTo(Outcome.ROUTED);
        assertThat(drain()).as("each named one once, never the sender").containsExactly("A>C:you");

        relay.follow(ROOM, "B", List.of("x"));
        relay.send(ROOM, "A", text("y", List.of(), "y1"), true);
        assertThat(drain()).as("B follows only x; C follows all").containsExactly("A>C#y:y1");
        relay.send(ROOM, "A", text("x", List.of(), "x1"), true);
        assertThat(drain()).containsExactlyInAnyOrder("A>B#x:x1", "A>C#x:x1");
        relay.send(ROOM, "A", text("y", List.of("B"), "named"), true);
        assertThat(drain()).as("a named recipient gets any topic").containsExactly("A>B#y:named");
        relay.follow(ROOM, "B", List.of());
        relay.send(ROOM, "A", text("", List.of(), "plain"), false);
        assertThat(drain()).as("no topic reaches everyone").containsExactlyInAnyOrder("A>B:plain", "A>C:plain");
        relay.follow(ROOM, "B", null);
        relay.send(ROOM, "A", text("z", List.of(), "z"), true);
        assertThat(drain()).containsExactlyInAnyOrder("A>B#z:z", "A>C#z:z");
        assertThat(relay.socketIn()).isEqualTo(7);
        assertThat(relay.socketOut()).isEqualTo(11);
    }

    @Test
    void unknownRecipientsAreCountedAndOnlyUnknownOnesRefuseTheMessage() {
        assertThat(relay.send(ROOM, "A", text("", List.of("nobody"), "x"), true))
                .isEqualTo(Outcome.UNKNOWN_RECIPIENTS);
        assertThat(relay.send(ROOM, "A", text("", List.of("nobody", "B"), "y"), true)).isEqualTo(Outcome.ROUTED);
        assertThat(drain()).containsExactly("A>B:y");
        assertThat(relay.droppedUnknownRecipient()).isEqualTo(2);
        assertThat(relay.send("other-room", "A", text("", List.of(), "z"), true)).isEqualTo(Outcome.NOT_A_MEMBER);
    }

    @Test
    void aSenderOverItsRateIsRefusedUntilTheBucketRefills() {
        for (int i = 0; i < 3; i++) {
            assertThat(relay.send(ROOM, "A", text("", List.of("B"), "m" + i), true)).isEqualTo(Outcome.ROUTED);
        }
        assertThat(relay.send(ROOM, "A", text("", List.of("B"), "m3"), true)).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(relay.send(ROOM, "A", text("", List.of("B"), "x".repeat(2_000)), true))
                .as("over the byte rate too").isEqualTo(Outcome.RATE_LIMITED);
        assertThat(relay.droppedRate()).isEqualTo(2);
        assertThat(drain()).containsExactly("A>B:m0", "A>B:m1", "A>B:m2");
        assertThat(relay.send(ROOM, "A", text("", List.of("B"), "later"), true)).isEqualTo(Outcome.ROUTED);
    }

    @Test
    void aLeaverGetsNothingAndCannotSendAndAnUnreachableSocketIsCounted() {
        relay.leave(ROOM, "B");
        relay.send(ROOM, "A", text("", List.of(), "after"), true);
        assertThat(drain()).containsExactly("A>C:after");
        assertThat(relay.send(ROOM, "B", text("", List.of(), "ghost"), true)).isEqualTo(Outcome.NOT_A_MEMBER);
        socketsUp = false;
        relay.send(ROOM, "A", text("", List.of(), "lost"), true);
        assertThat(relay.droppedNoChannel()).isEqualTo(1);
    }

    @Test
    void envelopesOnAnAddressedChannelAreRoutedAndMalformedOnesCounted() {
        DataChannelListener a = relay.member(ROOM, "A");
        DataChannel addressed = new DataChannel(null, 0, "sluice.reliable", DataEnvelope.PROTOCOL,
                ChannelOptions.RELIABLE, false, DataChannel.State.OPEN);
        byte[] toC = new DataEnvelope("t", List.of("C"), false, new byte[] {1, 2, 3}).encode();
        a.onMessage(addressed, toC, true);
        assertThat(drain()).containsExactly("A>C#t:bin3");
        a.onMessage(addressed, toC, false);
        a.onMessage(addressed, new byte[] {9, 9, 9, 9}, true);
        assertThat(relay.droppedBadEnvelope()).as("sent as text, and garbage").isEqualTo(2);
        assertThat(drain()).isEmpty();

        DataChannel labelled = new DataChannel(null, 2, "chat", "", ChannelOptions.RELIABLE, false,
                DataChannel.State.OPEN);
        a.onMessage(labelled, toC, true);
        assertThat(drain()).as("a labelled channel's messages never go to sockets").isEmpty();
    }
}
