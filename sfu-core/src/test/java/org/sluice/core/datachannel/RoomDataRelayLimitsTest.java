package org.sluice.core.datachannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.engine.EngineConfig;
import org.sluice.core.engine.SfuEngine;
import org.sluice.core.sctp.SctpAssociation;
import org.sluice.core.sctp.SctpCounters;
import org.sluice.core.sctp.SctpSettings;
import org.sluice.core.testing.Waits;

/**
 * The relay holds each sender to the configured limits (messages and bytes per second, one second of burst): what
 * is over is dropped and counted as {@code droppedRate}, what is under reaches the other participant. The relay's
 * clock is a manual one, so the token buckets refill only when the test says; the SCTP associations run on real
 * time over an in-memory link.
 */
class RoomDataRelayLimitsTest {

    private static final String ROOM = "room";
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The relay's clock: moves only when advanced. */
    private static final class ManualClock {
        final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        long now() {
            return nanos.get();
        }

        void advanceMillis(long millis) {
            nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
        }
    }

    /** What a participant's browser side received. */
    private static final class Received implements DataChannelListener {
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void onOpen(DataChannel channel) {
        }

        @Override
        public void onMessage(DataChannel channel, byte[] data, boolean binary) {
            messages.add(binary ? "bin:" + (data[0] & 0xFF) + ":" + data.length
                    : new String(data, StandardCharsets.UTF_8));
        }

        @Override
        public void onClose(DataChannel channel) {
        }
    }

    /** A participant: its browser-side association and the server-side one the relay listens to, linked in memory. */
    private final class Participant {
        final SctpOverDtls browser;
        final SctpOverDtls server;
        final Received received = new Received();
        /** Sends the browser side refused (none expected). */
        final AtomicInteger refused = new AtomicInteger();

        Participant(RoomDataRelay relay, String id) {
            AtomicReference<SctpOverDtls> toServer = new AtomicReference<>();
            AtomicReference<SctpOverDtls> toBrowser = new AtomicReference<>();
            browser = new SctpOverDtls(executor, System::nanoTime, SctpSettings.defaults(), true,
                    (packet, offset, length) -> {
                        toServer.get().receive(packet, offset, length);
                        return true;
                    }, received, new DataChannelCounters(), new SctpCounters());
            server = new SctpOverDtls(executor, System::nanoTime, SctpSettings.defaults(), false,
                    (packet, offset, length) -> {
                        toBrowser.get().receive(packet, offset, length);
                        return true;
                    }, relay.member(ROOM, id), new DataChannelCounters(), new SctpCounters());
            toServer.set(server);
            toBrowser.set(browser);
            relay.bind(ROOM, id, server);
            for (SctpOverDtls side : List.of(browser, server)) {
                side.run(c -> c.negotiated(0, "chat", ChannelOptions.RELIABLE));
                side.start();
            }
        }

        /** Read on the associations' thread. */
        boolean established() {
            try {
                return executor.submit(() -> browser.state() == SctpAssociation.State.ESTABLISHED
                        && server.state() == SctpAssociation.State.ESTABLISHED).get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("cannot read the associations' state", e);
            }
        }

        /** Sends {@code count} text messages m{first}... on the browser's channel, all at once. */
        void sendText(int first, int count) {
            browser.run(c -> {
                for (int i = first; i < first + count; i++) {
                    if (!c.channels().get(0).send("m" + i)) {
                        refused.incrementAndGet();
                    }
                }
            });
        }

        /** Sends {@code count} binary messages of {@code size} bytes, the first byte numbering them from {@code first}. */
        void sendBinary(int first, int count, int size) {
            browser.run(c -> {
                for (int i = first; i < first + count; i++) {
                    byte[] data = new byte[size];
                    data[0] = (byte) i;
                    if (!c.channels().get(0).send(data)) {
                        refused.incrementAndGet();
                    }
                }
            });
        }
    }

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "relay-limits-test");
        thread.setDaemon(true);
        return thread;
    });
    private final ManualClock clock = new ManualClock();
    @AfterEach
    void tearDown() throws Exception {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private Participant[] twoParticipants(RoomDataRelay relay) throws InterruptedException {
        Participant a = new Participant(relay, "a");
        Participant b = new Participant(relay, "b");
        Waits.await("both associations established", WAIT, () -> a.established() && b.established());
        return new Participant[] {a, b};
    }

    /**
     * Waits until the relay has decided on {@code decided} messages in all and {@code delivered} reached {@code to},
     * having checked that {@code from}'s browser side sent every message it was given.
     */
    private static void awaitDecided(RoomDataRelay relay, Participant from, Participant to, long decided,
                                     int delivered) throws InterruptedException {
        Waits.await(decided + " messages relayed or dropped, " + delivered + " delivered", WAIT,
                () -> relay.relayed() + relay.droppedRate() >= decided && to.received.messages.size() >= delivered);
        assertThat(from.refused).hasValue(0);
    }

    private static List<String> numbered(String prefix, int from, int toExclusive) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < toExclusive; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    @Test
    void messagesOverTheConfiguredRateAreDroppedAndCounted() throws Exception {
        RoomDataRelay relay = new RoomDataRelay(new RoomDataRelay.Limits(10, 1_000_000), clock::now);
        Participant[] p = twoParticipants(relay);
        Participant a = p[0];
        Participant b = p[1];

        a.sendText(0, 25);
        awaitDecided(relay, a, b, 25, 10);
        assertThat(relay.droppedRate()).as("a burst of 25 against one second of 10 per second").isEqualTo(15);
        assertThat(relay.relayed()).isEqualTo(10);
        assertThat(b.received.messages).containsExactlyElementsOf(numbered("m", 0, 10));
        assertThat(a.received.messages).as("a sender does not get its own messages").isEmpty();

        clock.advanceMillis(500);
        a.sendText(25, 10);
        awaitDecided(relay, a, b, 35, 15);
        assertThat(relay.droppedRate()).as("half a second refills 5").isEqualTo(20);
        assertThat(relay.relayed()).isEqualTo(15);
        assertThat(b.received.messages.subList(10, 15)).containsExactlyElementsOf(numbered("m", 25, 30));

        clock.advanceMillis(5_000);
        b.sendText(0, 12);
        awaitDecided(relay, b, a, 47, 10);
        assertThat(relay.droppedRate()).as("each sender has its own bucket, at most one second's worth")
                .isEqualTo(22);
        assertThat(a.received.messages).containsExactlyElementsOf(numbered("m", 0, 10));
        assertThat(b.received.messages).hasSize(15);
    }

    @Test
    void bytesOverTheConfiguredRateAreDroppedAndCounted() throws Exception {
        RoomDataRelay relay = new RoomDataRelay(new RoomDataRelay.Limits(1_000, 4096), clock::now);
        Participant[] p = twoParticipants(relay);
        Participant a = p[0];
        Participant b = p[1];

        a.sendBinary(0, 6, 1024);
        awaitDecided(relay, a, b, 6, 4);
        assertThat(relay.droppedRate()).as("4 KiB of burst passes four 1 KiB messages").isEqualTo(2);
        assertThat(relay.relayed()).isEqualTo(4);
        assertThat(relay.relayedBytes()).isEqualTo(4096);
        assertThat(b.received.messages).containsExactly("bin:0:1024", "bin:1:1024", "bin:2:1024", "bin:3:1024");

        clock.advanceMillis(500);
        a.sendBinary(6, 3, 1024);
        awaitDecided(relay, a, b, 9, 6);
        assertThat(relay.droppedRate()).as("half a second refills 2 KiB").isEqualTo(3);
        assertThat(b.received.messages.subList(4, 6)).containsExactly("bin:6:1024", "bin:7:1024");

        clock.advanceMillis(10_000);
        a.sendBinary(9, 1, 5000);
        awaitDecided(relay, a, b, 10, 6);
        assertThat(relay.droppedRate()).as("a message larger than a second's bytes never passes").isEqualTo(4);
        assertThat(b.received.messages).hasSize(6);
    }

    @Test
    void theEngineHoldsParticipantsToItsConfiguredLimits() throws Exception {
        EngineConfig config = EngineConfig.loopback().withPorts(0, -1)
                .withDataChannelLimits(new RoomDataRelay.Limits(3, 2048));
        try (SfuEngine engine = SfuEngine.start(config, Clock.systemUTC(), clock::now)) {
            RoomDataRelay relay = engine.dataChannels().relay();
            DataChannelListener member = relay.member(ROOM, "a");
            DataChannel channel = new DataChannels(true, new Received(), new DataChannelCounters())
                    .negotiated(0, "chat", ChannelOptions.RELIABLE);
            for (int i = 0; i < 10; i++) {
                member.onMessage(channel, ("m" + i).getBytes(StandardCharsets.UTF_8), false);
            }
            assertThat(relay.droppedRate()).as("3 messages per second configured").isEqualTo(7);
            clock.advanceMillis(10_000);
            member.onMessage(channel, new byte[2048], true);
            member.onMessage(channel, new byte[1], true);
            assertThat(relay.droppedRate()).as("2048 bytes per second configured").isEqualTo(8);
        }
        try (SfuEngine engine = SfuEngine.start(EngineConfig.loopback().withPorts(0, -1), Clock.systemUTC(),
                clock::now)) {
            RoomDataRelay relay = engine.dataChannels().relay();
            DataChannelListener member = relay.member(ROOM, "a");
            DataChannel channel = new DataChannels(true, new Received(), new DataChannelCounters())
                    .negotiated(0, "chat", ChannelOptions.RELIABLE);
            for (int i = 0; i < 5_000; i++) {
                member.onMessage(channel, new byte[1], true);
            }
            assertThat(relay.droppedRate()).as("the default: 5,000 messages of burst").isZero();
            member.onMessage(channel, new byte[1], true);
            assertThat(relay.droppedRate()).isEqualTo(1);
        }
    }

    @Test
    void theEngineRefusesLimitsOutsideTheirRanges() {
        EngineConfig config = EngineConfig.loopback();
        assertThatThrownBy(() -> config.withDataChannelLimits(new RoomDataRelay.Limits(0, 4096)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("messages per second");
        assertThatThrownBy(() -> config.withDataChannelLimits(new RoomDataRelay.Limits(1_000_001, 4096)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("messages per second");
        assertThatThrownBy(() -> config.withDataChannelLimits(new RoomDataRelay.Limits(10, 1023)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes per second");
        assertThatThrownBy(() -> config.withDataChannelLimits(new RoomDataRelay.Limits(10, (1L << 30) + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes per second");
        assertThat(config.dataChannelLimits()).isEqualTo(RoomDataRelay.Limits.DEFAULT);
    }
}
