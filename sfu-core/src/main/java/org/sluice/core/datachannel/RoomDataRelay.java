package org.sluice.core.datachannel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Routes room messages between participants, over their data channels or, for a participant without one, its
 * signaling socket. Two kinds of channel:
 * <ul>
 *   <li><b>Labelled</b> (any channel whose protocol is not {@link DataEnvelope#PROTOCOL}): a message sent on a
 *       channel labelled L reaches every other participant of the room on its open channel labelled L, text or
 *       binary as sent, with the recipient channel's own reliability.</li>
 *   <li><b>Addressed</b> (protocol {@link DataEnvelope#PROTOCOL}): every message is a {@link DataEnvelope} naming
 *       its recipients, a topic, or neither (the whole room). Recipients get it on their own addressed channel of
 *       the same kind (reliable or not; the other kind if they have only that), with the sender's id in place of
 *       the recipients; a recipient without an addressed channel gets it over its socket
 *       ({@link SocketSink}). The socket's own {@code data} messages enter here too ({@link #send}).</li>
 * </ul>
 * A topic reaches the participants that subscribed to it, and those that never chose topics (all of them); named
 * recipients get a message whatever its topic. The sender never gets its own messages. Each sender is held to a
 * message rate and a byte rate (token buckets, one second of burst) over both routes, and every drop is counted by
 * reason.
 *
 * <p>Threads: channel events arrive on the data channel thread; {@link #send} and membership changes come from
 * any thread. Deliveries to a channel run on the data channel thread, deliveries to a socket are handed to its
 * sink, which must be thread-safe.
 */
public final class RoomDataRelay {

    /** Per-participant limits: messages and bytes per second, with one second of burst. */
    public record Limits(int messagesPerSecond, long bytesPerSecond) {
        public static final Limits DEFAULT = new Limits(5_000, 16L * 1024 * 1024);
    }

    /** A participant's signaling socket, for addressed messages it cannot get on a data channel. */
    @FunctionalInterface
    public interface SocketSink {
        /** Hands the message to the socket; false if the participant has no socket now. */
        boolean deliver(String from, String topic, boolean text, byte[] payload);
    }

    /** What became of a message sent through {@link #send}. */
    public enum Outcome {
        /** Handed to every recipient there was (possibly none: a room of one, a topic nobody follows). */
        ROUTED,
        /** Over the sender's message or byte rate: dropped. */
        RATE_LIMITED,
        /** None of the named recipients is in the room: dropped. */
        UNKNOWN_RECIPIENTS,
        /** The sender is not a member (it has left): dropped. */
        NOT_A_MEMBER
    }

    final LongAdder droppedRate = new LongAdder();
    final LongAdder droppedNoChannel = new LongAdder();
    final LongAdder droppedRecipientRefused = new LongAdder();
    final LongAdder droppedBadEnvelope = new LongAdder();
    final LongAdder droppedUnknownRecipient = new LongAdder();
    final LongAdder relayed = new LongAdder();
    final LongAdder relayedBytes = new LongAdder();
    final LongAdder socketIn = new LongAdder();
    final LongAdder socketOut = new LongAdder();

    private final Limits limits;
    private final LongSupplier nanoClock;
    private final Map<String, Map<String, Member>> rooms = new ConcurrentHashMap<>();

    private final class Member implements DataChannelListener {
        final String room;
        final String id;
        volatile SctpOverDtls sctp;
        volatile SocketSink socket;
        /** The topics it follows; null: every topic. */
        volatile Set<String> topics;
        private double messageTokens;
        private double byteTokens;
        private long refillNanos;

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
            if (DataEnvelope.PROTOCOL.equals(channel.protocol())) {
                DataEnvelope envelope = binary ? DataEnvelope.parse(data) : null;
                if (envelope == null) {
                    droppedBadEnvelope.increment();
                    return;
                }
                route(this, envelope, channel.options().reliable());
                return;
            }
            if (!admit(data.length)) {
                droppedRate.increment();
                return;
            }
            String label = channel.label();
            for (Member other : rooms.getOrDefault(room, Map.of()).values()) {
                SctpOverDtls target = other.sctp;
                if (other != this && target != null) {
                    target.run(channels -> deliverLabelled(channels, label, data, binary));
                }
            }
        }

        @Override
        public void onClose(DataChannel channel) {
        }

        boolean follows(String topic) {
            Set<String> followed = topics;
            return topic.isEmpty() || followed == null || followed.contains(topic);
        }

        synchronized boolean admit(int bytes) {
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

        /** Gives an addressed message to this recipient: on its channel, else over its socket. */
        void deliverAddressed(String from, DataEnvelope original, byte[] wire, boolean reliable) {
            SctpOverDtls target = sctp;
            if (target == null) {
                deliverToSocket(from, original);
                return;
            }
            target.run(channels -> {
                DataChannel channel = addressedChannel(channels, reliable);
                if (channel == null) {
                    deliverToSocket(from, original);
                } else {
                    count(channel.send(wire), wire.length);
                }
            });
        }

        private void deliverToSocket(String from, DataEnvelope original) {
            SocketSink sink = socket;
            if (sink != null && sink.deliver(from, original.topic(), original.text(), original.payload())) {
                socketOut.increment();
                relayed.increment();
                relayedBytes.add(original.payload().length);
            } else {
                droppedNoChannel.increment();
            }
        }

        private void deliverLabelled(DataChannels channels, String label, byte[] data, boolean binary) {
            for (DataChannel c : channels.channels()) {
                if (c.label().equals(label) && c.state() == DataChannel.State.OPEN
                        && !DataEnvelope.PROTOCOL.equals(c.protocol())) {
                    count(binary ? c.send(data) : c.sendText(data), data.length);
                    return;
                }
            }
            droppedNoChannel.increment();
        }
    }

    RoomDataRelay(Limits limits, LongSupplier nanoClock) {
        this.limits = limits;
        this.nanoClock = nanoClock;
    }

    /**
     * Makes a participant a member of its room's messaging (it joined), with the socket that takes its addressed
     * messages while it has no addressed channel; a member already known keeps its channels and gets the sink.
     */
    public void join(String room, String participantId, SocketSink socket) {
        memberOf(room, participantId).socket = socket;
    }

    /** The listener for a participant's channels (a member is made if needed); bind its association with {@link #bind}. */
    public DataChannelListener member(String room, String participantId) {
        return memberOf(room, participantId);
    }

    /** Gives the member its association (once created with the member as listener). */
    public void bind(String room, String participantId, SctpOverDtls sctp) {
        Member m = find(room, participantId);
        if (m != null) {
            m.sctp = sctp;
        }
    }

    /** The member's association ended; its addressed messages go to its socket from now on. */
    public void unbind(String room, String participantId) {
        Member m = find(room, participantId);
        if (m != null) {
            m.sctp = null;
        }
    }

    /** The topics a member follows; {@code null} for all of them (the default). */
    public void follow(String room, String participantId, Collection<String> topics) {
        Member m = find(room, participantId);
        if (m != null) {
            m.topics = topics == null ? null : Set.copyOf(topics);
        }
    }

    /** Removes a participant (it left the room). */
    public void leave(String room, String participantId) {
        rooms.computeIfPresent(room, (r, members) -> {
            members.remove(participantId);
            return members.isEmpty() ? null : members;
        });
    }

    /** A message from a participant's socket (the fallback route); routed as one from its addressed channel. */
    public Outcome send(String room, String participantId, DataEnvelope envelope, boolean reliable) {
        Member from = find(room, participantId);
        if (from == null) {
            return Outcome.NOT_A_MEMBER;
        }
        socketIn.increment();
        return route(from, envelope, reliable);
    }

    private Outcome route(Member from, DataEnvelope envelope, boolean reliable) {
        List<Member> recipients = recipients(from, envelope);
        if (recipients == null) {
            return Outcome.UNKNOWN_RECIPIENTS;
        }
        if (!from.admit(envelope.payload().length)) {
            droppedRate.increment();
            return Outcome.RATE_LIMITED;
        }
        if (recipients.isEmpty()) {
            return Outcome.ROUTED;
        }
        byte[] wire = new DataEnvelope(envelope.topic(), List.of(from.id), envelope.text(), envelope.payload())
                .encode();
        for (Member m : recipients) {
            m.deliverAddressed(from.id, envelope, wire, reliable);
        }
        return Outcome.ROUTED;
    }

    /** Who gets an envelope: the named members, or those following its topic; null when every named one is missing. */
    private List<Member> recipients(Member from, DataEnvelope envelope) {
        if (envelope.participants().isEmpty()) {
            List<Member> out = new ArrayList<>();
            for (Member m : rooms.getOrDefault(from.room, Map.of()).values()) {
                if (m != from && m.follows(envelope.topic())) {
                    out.add(m);
                }
            }
            return out;
        }
        Map<String, Member> members = rooms.getOrDefault(from.room, Map.of());
        List<Member> out = new ArrayList<>();
        for (String id : new LinkedHashSet<>(envelope.participants())) {
            Member m = members.get(id);
            if (m == null) {
                droppedUnknownRecipient.increment();
            } else if (m != from) {
                out.add(m);
            }
        }
        return out.isEmpty() && !envelope.participants().contains(from.id) ? null : out;
    }

    private void count(boolean sent, int bytes) {
        if (sent) {
            relayed.increment();
            relayedBytes.add(bytes);
        } else {
            droppedRecipientRefused.increment();
        }
    }

    private Member memberOf(String room, String participantId) {
        Member[] member = new Member[1];
        rooms.compute(room, (r, members) -> {
            Map<String, Member> in = members == null ? new ConcurrentHashMap<>() : members;
            member[0] = in.computeIfAbsent(participantId, id -> new Member(room, id));
            return in;
        });
        return member[0];
    }

    private Member find(String room, String participantId) {
        Map<String, Member> members = rooms.get(room);
        return members == null ? null : members.get(participantId);
    }

    private static DataChannel addressedChannel(DataChannels channels, boolean reliable) {
        DataChannel other = null;
        for (DataChannel c : channels.channels()) {
            if (c.state() != DataChannel.State.OPEN || !DataEnvelope.PROTOCOL.equals(c.protocol())) {
                continue;
            }
            if (c.options().reliable() == reliable) {
                return c;
            }
            other = other == null ? c : other;
        }
        return other;
    }

    public long droppedRate() { return droppedRate.sum(); }
    public long droppedNoChannel() { return droppedNoChannel.sum(); }
    public long droppedRecipientRefused() { return droppedRecipientRefused.sum(); }
    public long droppedBadEnvelope() { return droppedBadEnvelope.sum(); }
    public long droppedUnknownRecipient() { return droppedUnknownRecipient.sum(); }
    public long relayed() { return relayed.sum(); }
    public long relayedBytes() { return relayedBytes.sum(); }
    public long socketIn() { return socketIn.sum(); }
    public long socketOut() { return socketOut.sum(); }
}
