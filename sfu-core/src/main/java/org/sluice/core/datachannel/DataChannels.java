package org.sluice.core.datachannel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sluice.core.sctp.SctpAssociation;
import org.sluice.core.sctp.SctpListener;

/**
 * The data channels of one SCTP association (RFC 8831, DCEP per RFC 8832): opens channels with
 * DATA_CHANNEL_OPEN and answers the peer's with DATA_CHANNEL_ACK, maps PPIDs to text, binary and
 * empty messages, applies each channel's reliability to its sends, and closes channels by stream
 * reset. The DTLS client uses even stream ids and the server odd ones (RFC 8832 §6). Negotiated
 * channels ({@code negotiated: true}) are declared on both sides with the same id and send no
 * DCEP. Not thread-safe: the owner calls it on the association's thread.
 */
public final class DataChannels implements SctpListener {

    /** Called when the association itself ends (after every channel's {@code onClose}). */
    public interface ClosedHandler {
        void onAssociationClosed(String reason);
    }

    private final boolean dtlsClient;
    private final DataChannelListener listener;
    private final DataChannelCounters counters;
    private final Map<Integer, DataChannel> channels = new HashMap<>();
    private SctpAssociation association;
    private ClosedHandler closedHandler = reason -> { };
    private boolean established;
    private int nextId;

    public DataChannels(boolean dtlsClient, DataChannelListener listener, DataChannelCounters counters) {
        this.dtlsClient = dtlsClient;
        this.listener = listener;
        this.counters = counters;
        this.nextId = dtlsClient ? 0 : 1;
    }

    /** Completes construction: the association this listens to (it is created with this as its listener). */
    public void attach(SctpAssociation association) {
        this.association = association;
    }

    public void onAssociationClosed(ClosedHandler handler) {
        this.closedHandler = handler;
    }

    public boolean established() {
        return established;
    }

    public List<DataChannel> channels() {
        return new ArrayList<>(channels.values());
    }

    public DataChannelCounters counters() {
        return counters;
    }

    /** Opens an in-band channel with the next free id of our parity; null when not established or none is free. */
    public DataChannel open(String label, String protocol, ChannelOptions options) {
        if (!established) {
            return null;
        }
        int id = nextId;
        while (channels.containsKey(id)) {
            id += 2;
            if (id > 65534) {
                return null;
            }
        }
        nextId = id + 2;
        DataChannel c = new DataChannel(this, id, label, protocol, options, false, DataChannel.State.CONNECTING);
        channels.put(id, c);
        association.send(id, DcepMessage.PPID_DCEP, DcepMessage.open(options, label, protocol), false, -1, -1);
        return c;
    }

    /** Declares a negotiated channel (agreed out of band on both sides); open as soon as the association is. */
    public DataChannel negotiated(int id, String label, ChannelOptions options) {
        DataChannel c = new DataChannel(this, id, label, "", options, true,
                established ? DataChannel.State.OPEN : DataChannel.State.CONNECTING);
        channels.put(id, c);
        if (established) {
            opened(c);
        }
        return c;
    }

    boolean send(DataChannel c, int ppid, byte[] data) {
        if (c.state != DataChannel.State.OPEN && !(c.state == DataChannel.State.CONNECTING && !c.negotiated())) {
            counters.sendsRefused.increment();
            return false;
        }
        ChannelOptions o = c.options();
        boolean ok = association.send(c.id(), ppid, data, !o.ordered(), o.maxRetransmits(),
                o.maxPacketLifeTimeMillis());
        if (ok) {
            counters.messagesOut.increment();
            counters.bytesOut.add(ppid == DataChannel.PPID_STRING_EMPTY || ppid == DataChannel.PPID_BINARY_EMPTY
                    ? 0 : data.length);
        } else {
            counters.sendsRefused.increment();
        }
        return ok;
    }

    void close(DataChannel c) {
        if (c.state == DataChannel.State.CLOSED || c.state == DataChannel.State.CLOSING) {
            return;
        }
        c.state = DataChannel.State.CLOSING;
        c.outgoingReset = true;
        association.resetStreams(c.id());
    }

    // SctpListener

    @Override
    public void onEstablished() {
        established = true;
        for (DataChannel c : channels.values()) {
            if (c.negotiated() && c.state == DataChannel.State.CONNECTING) {
                c.state = DataChannel.State.OPEN;
                opened(c);
            }
        }
    }

    @Override
    public void onMessage(int streamId, int ppid, byte[] data, boolean unordered) {
        if (ppid == DcepMessage.PPID_DCEP) {
            onDcep(streamId, data);
            return;
        }
        DataChannel c = channels.get(streamId);
        if (c == null || c.state == DataChannel.State.CLOSED) {
            counters.messagesUnroutable.increment();
            return;
        }
        if (c.state == DataChannel.State.CONNECTING && !c.negotiated()) {
            c.state = DataChannel.State.OPEN; // RFC 8832 §6: data implies the ACK was sent
            opened(c);
        }
        switch (ppid) {
            case DataChannel.PPID_STRING, DataChannel.PPID_BINARY -> deliver(c, data, ppid == DataChannel.PPID_BINARY);
            case DataChannel.PPID_STRING_EMPTY, DataChannel.PPID_BINARY_EMPTY ->
                    deliver(c, new byte[0], ppid == DataChannel.PPID_BINARY_EMPTY);
            default -> counters.messagesUnroutable.increment();
        }
    }

    private void deliver(DataChannel c, byte[] data, boolean binary) {
        counters.messagesIn.increment();
        counters.bytesIn.add(data.length);
        listener.onMessage(c, data, binary);
    }

    private void onDcep(int streamId, byte[] data) {
        if (data.length == 1 && (data[0] & 0xff) == DcepMessage.TYPE_ACK) {
            DataChannel c = channels.get(streamId);
            if (c != null && c.state == DataChannel.State.CONNECTING) {
                c.state = DataChannel.State.OPEN;
                opened(c);
            }
            return;
        }
        DcepMessage.Open open = DcepMessage.parseOpen(data);
        if (open == null || channels.containsKey(streamId) || (streamId % 2 == 0) != !dtlsClient) {
            counters.dcepMalformed.increment();
            return;
        }
        DataChannel c = new DataChannel(this, streamId, open.label(), open.protocol(), open.options(), false,
                DataChannel.State.OPEN);
        channels.put(streamId, c);
        association.send(streamId, DcepMessage.PPID_DCEP, DcepMessage.ack(), false, -1, -1);
        opened(c);
    }

    private void opened(DataChannel c) {
        counters.channelsOpened.increment();
        listener.onOpen(c);
    }

    @Override
    public void onIncomingStreamsReset(int[] streamIds) {
        for (int sid : streamIds) {
            DataChannel c = channels.get(sid);
            if (c == null) {
                continue;
            }
            if (!c.outgoingReset) {
                c.outgoingReset = true;
                association.resetStreams(sid); // close our side too (RFC 8831 §6.7)
            }
            closed(c);
        }
    }

    @Override
    public void onClosed(String reason) {
        for (DataChannel c : new ArrayList<>(channels.values())) {
            closed(c);
        }
        established = false;
        closedHandler.onAssociationClosed(reason);
    }

    private void closed(DataChannel c) {
        if (c.state == DataChannel.State.CLOSED) {
            return;
        }
        boolean wasOpen = c.state == DataChannel.State.OPEN || c.state == DataChannel.State.CLOSING;
        c.state = DataChannel.State.CLOSED;
        channels.remove(c.id());
        if (wasOpen) {
            counters.channelsClosed.increment();
        }
        listener.onClose(c);
    }
}
