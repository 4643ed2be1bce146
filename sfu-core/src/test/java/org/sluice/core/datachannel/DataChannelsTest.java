package org.sluice.core.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sluice.core.sctp.SctpSettings;
import org.sluice.core.sctp.SimulatedNetwork;

/** DCEP and channel life between two associations on a simulated link: one side the DTLS client, one the server. */
class DataChannelsTest {

    private static final long SECOND = 1_000_000_000L;

    static final class Recorder implements DataChannelListener {
        final List<DataChannel> opened = new ArrayList<>();
        final List<String> messages = new ArrayList<>();
        final List<DataChannel> closed = new ArrayList<>();

        @Override
        public void onOpen(DataChannel channel) {
            opened.add(channel);
        }

        @Override
        public void onMessage(DataChannel channel, byte[] data, boolean binary) {
            messages.add(channel.label() + ":" + (binary ? "bin:" + data.length : new String(data, StandardCharsets.UTF_8)));
        }

        @Override
        public void onClose(DataChannel channel) {
            closed.add(channel);
        }
    }

    private final Recorder clientEvents = new Recorder();
    private final Recorder serverEvents = new Recorder();
    private final DataChannels client = new DataChannels(true, clientEvents, new DataChannelCounters());
    private final DataChannels server = new DataChannels(false, serverEvents, new DataChannelCounters());
    private final SimulatedNetwork net = new SimulatedNetwork(31, 0.02, 10, SctpSettings.defaults(), client, server);

    DataChannelsTest() {
        client.attach(net.a.association);
        server.attach(net.b.association);
        net.connectBoth();
        assertThat(net.runUntil(() -> client.established() && server.established(), 30 * SECOND)).isTrue();
    }

    @Test
    void openAckLabelsProtocolsAndStreamParity() {
        DataChannel chat = client.open("chat", "json", ChannelOptions.RELIABLE);
        DataChannel lossy = server.open("lossy", "", ChannelOptions.unordered(0));
        assertThat(chat.id() % 2).as("the DTLS client uses even ids").isZero();
        assertThat(lossy.id() % 2).as("the DTLS server uses odd ids").isOne();
        assertThat(net.runUntil(() -> chat.state() == DataChannel.State.OPEN
                && lossy.state() == DataChannel.State.OPEN, 10 * SECOND)).isTrue();
        DataChannel remoteChat = serverEvents.opened.get(0);
        assertThat(remoteChat.label()).isEqualTo("chat");
        assertThat(remoteChat.protocol()).isEqualTo("json");
        assertThat(remoteChat.options().ordered()).isTrue();
        assertThat(remoteChat.options().reliable()).isTrue();
        DataChannel remoteLossy = clientEvents.opened.stream().filter(c -> c.label().equals("lossy")).findFirst()
                .orElseThrow();
        assertThat(remoteLossy.options().ordered()).isFalse();
        assertThat(remoteLossy.options().maxRetransmits()).isZero();
        assertThat(chat.send("hi")).isTrue();
        assertThat(chat.send("")).isTrue();
        assertThat(chat.send(new byte[0])).isTrue();
        assertThat(chat.send(new byte[5000])).isTrue();
        assertThat(net.runUntil(() -> serverEvents.messages.size() == 4, 10 * SECOND)).isTrue();
        assertThat(serverEvents.messages).containsExactly("chat:hi", "chat:", "chat:bin:0", "chat:bin:5000");
        assertThat(server.counters().messagesIn()).isEqualTo(4);
        assertThat(server.counters().bytesIn()).isEqualTo(5002);
    }

    @Test
    void negotiatedChannelsNeedNoDcep() {
        DataChannel a = client.negotiated(7, "agreed", ChannelOptions.RELIABLE);
        DataChannel b = server.negotiated(7, "agreed", ChannelOptions.RELIABLE);
        assertThat(a.state()).isEqualTo(DataChannel.State.OPEN);
        assertThat(a.send("x")).isTrue();
        assertThat(b.send("y")).isTrue();
        assertThat(net.runUntil(() -> serverEvents.messages.size() == 1 && clientEvents.messages.size() == 1,
                10 * SECOND)).isTrue();
        assertThat(serverEvents.messages).containsExactly("agreed:x");
        assertThat(clientEvents.messages).containsExactly("agreed:y");
    }

    @Test
    void closingResetsOnlyThatChannelsStreamOnBothSides() {
        DataChannel one = client.open("one", "", ChannelOptions.RELIABLE);
        DataChannel two = client.open("two", "", ChannelOptions.RELIABLE);
        assertThat(net.runUntil(() -> serverEvents.opened.size() == 2 && two.state() == DataChannel.State.OPEN,
                10 * SECOND)).isTrue();
        one.close();
        assertThat(net.runUntil(() -> one.state() == DataChannel.State.CLOSED && serverEvents.closed.size() == 1,
                20 * SECOND)).isTrue();
        assertThat(serverEvents.closed.get(0).label()).isEqualTo("one");
        assertThat(one.send("late")).isFalse();
        assertThat(two.send("still")).isTrue();
        assertThat(net.runUntil(() -> serverEvents.messages.size() == 1, 10 * SECOND)).isTrue();
        assertThat(serverEvents.messages).containsExactly("two:still");
        // The id is free again: a new channel may take it and starts with SSN 0 on a reset stream.
        DataChannel three = client.open("three", "", ChannelOptions.RELIABLE);
        assertThat(three.id()).isNotEqualTo(two.id());
        assertThat(net.runUntil(() -> three.state() == DataChannel.State.OPEN, 10 * SECOND)).isTrue();
        three.send("fresh");
        assertThat(net.runUntil(() -> serverEvents.messages.size() == 2, 10 * SECOND)).isTrue();
        assertThat(serverEvents.messages.get(1)).isEqualTo("three:fresh");
    }

    @Test
    void malformedDcepAndWrongParityAreCountedNotOpened() {
        net.a.association.send(1, 50, DcepMessage.open(ChannelOptions.RELIABLE, "odd", ""), false, -1, -1);
        net.a.association.send(2, 50, new byte[] {3, 0, 0}, false, -1, -1);
        net.a.association.send(4, 51, "nobody".getBytes(StandardCharsets.UTF_8), false, -1, -1);
        net.runUntil(() -> server.counters().dcepMalformed() == 2 && server.counters().messagesUnroutable() == 1,
                10 * SECOND);
        assertThat(server.counters().dcepMalformed()).isEqualTo(2);
        assertThat(server.counters().messagesUnroutable()).isEqualTo(1);
        assertThat(serverEvents.opened).isEmpty();
    }

    @Test
    void dcepOpenParsesEveryChannelTypeAndRejectsBadLengths() {
        for (ChannelOptions o : List.of(ChannelOptions.RELIABLE, ChannelOptions.unordered(0),
                new ChannelOptions(true, 3, -1, 256), new ChannelOptions(false, -1, 150, 128))) {
            DcepMessage.Open parsed = DcepMessage.parseOpen(DcepMessage.open(o, "label", "proto"));
            assertThat(parsed.options()).isEqualTo(o);
            assertThat(parsed.label()).isEqualTo("label");
            assertThat(parsed.protocol()).isEqualTo("proto");
        }
        byte[] m = DcepMessage.open(ChannelOptions.RELIABLE, "label", "");
        assertThat(DcepMessage.parseOpen(java.util.Arrays.copyOf(m, m.length - 1))).isNull();
        m[1] = 0x05;
        assertThat(DcepMessage.parseOpen(m)).isNull();
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 10_000; i++) {
            byte[] junk = new byte[r.nextInt(40)];
            r.nextBytes(junk);
            DcepMessage.parseOpen(junk);
        }
    }
}
