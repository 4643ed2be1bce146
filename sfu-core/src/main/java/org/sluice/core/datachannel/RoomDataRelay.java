package org.sluice.core.datachannel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Fans data channel messages out within a room: a message a participant sends on its channel
 * labelled L reaches every other participant of the room on their channel labelled L, as text or
 * binary as it was sent, on a channel with the recipient's own reliability (so a reliable channel
 * stays reliable and an unreliable one unreliable). Each sender is held to a message rate and a
 * byte rate (token buckets), and every drop is counted by reason. Runs on the data channel thread;
 * membership changes from any thread.
 */
public final class RoomDataRelay {

    /** Per-participant limits: messages and bytes per second, with one second of burst. */
    public record Limits(int messagesPerSecond, long bytesPerSecond) {
        public static final Limits DEFAULT = new Limits(5_000, 16L * 1024 * 1024);
    }

    /** Drop reasons. */
    final LongAdder droppedRate = new LongAdder();
    final LongAdder droppedNoChannel = new LongAdder();
    final LongAdder droppedRecipientRefused = new LongAdder();
    final LongAdder relayed = new LongAdder();
    final LongAdder relayedBytes = new LongAdder();

    private final Limits limits;
    private final LongSupplier nanoClock;
    private final Map<String, Map<String, Member>> rooms = new ConcurrentHashMap<>();

    private final class Member implements DataChannelListener {
        final String room;
        final String id;
        SctpOverDtls sctp;
        double messageTokens;
        double byteTokens;
        long refillNanos;

        Member(String room, String id) {
            this.room = room;
            this.id = id;
            this.messageTokens = limits.messagesPerSecond();
            this.byteTokens = limits.bytesPerSecond();
            this.refillNanos = nanoClock.getAsLong();
        }

        @Override
        public void onOpen(DataChannel channel) {
        }

        @Override
        public void onMessage(DataChannel channel, byte[] data, boolean binary) {
            if (!admit(data.length)) {
                droppedRate.increment();
                return;
            }
            Map<String, Member> members = rooms.get(room);
            if (members == null) {
                return;
            }
            String label = channel.label();
            for (Member other : members.values()) {
                if (other == this || other.sctp == null) {
                    continue;
                }
                other.sctp.run(channels -> other.deliver(label, data, binary));
            }
        }

        void deliver(String label, byte[] data, boolean binary) {
            for (DataChannel c : sctp.channels().channels()) {
                if (c.label().equals(label) && c.state() == DataChannel.State.OPEN) {
                    if (binary ? c.send(data) : c.send(new String(data, java.nio.charset.StandardCharsets.UTF_8))) {
                        relayed.increment();
                        relayedBytes.add(data.length);
                    } else {
                        droppedRecipientRefused.increment();
                    }
                    return;
                }
            }
            droppedNoChannel.increment();
        }

        private boolean admit(int bytes) {
            long now = nanoClock.getAsLong();
            double seconds = Math.max(0, now - refillNanos) / 1e9;
            refillNanos = now;
            messageTokens = Math.min(limits.messagesPerSecond(), messageTokens + seconds * limits.messagesPerSecond());
            byteTokens = Math.min(limits.bytesPerSecond(), byteTokens + seconds * limits.bytesPerSecond());
            if (messageTokens < 1 || byteTokens < bytes) {
                return false;
            }
            messageTokens -= 1;
            byteTokens -= bytes;
            return true;
        }

        @Override
        public void onClose(DataChannel channel) {
        }
    }

    RoomDataRelay(Limits limits, LongSupplier nanoClock) {
        this.limits = limits;
        this.nanoClock = nanoClock;
    }

    /** The listener for a participant's channels; bind its association with {@link #bind}. */
    public DataChannelListener member(String room, String participantId) {
        Member m = new Member(room, participantId);
        rooms.computeIfAbsent(room, r -> new ConcurrentHashMap<>()).put(participantId, m);
        return m;
    }

    /** Gives the member its association (once created with the member as listener). */
    public void bind(String room, String participantId, SctpOverDtls sctp) {
        Map<String, Member> members = rooms.get(room);
        Member m = members == null ? null : members.get(participantId);
        if (m != null) {
            m.sctp = sctp;
        }
    }

    /** Removes a participant (its transport ended). */
    public void leave(String room, String participantId) {
        rooms.computeIfPresent(room, (r, members) -> {
            members.remove(participantId);
            return members.isEmpty() ? null : members;
        });
    }

    public long droppedRate() { return droppedRate.sum(); }
    public long droppedNoChannel() { return droppedNoChannel.sum(); }
    public long droppedRecipientRefused() { return droppedRecipientRefused.sum(); }
    public long relayed() { return relayed.sum(); }
    public long relayedBytes() { return relayedBytes.sum(); }
}
