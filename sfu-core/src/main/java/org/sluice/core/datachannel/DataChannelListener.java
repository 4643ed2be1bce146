package org.sluice.core.datachannel;

/** Events of the data channels on one association; called on the thread that drives it. */
public interface DataChannelListener {

    /** A channel is open: one the peer announced with DATA_CHANNEL_OPEN, or ours once acknowledged. */
    void onOpen(DataChannel channel);

    /** A message on an open channel; {@code binary} from its PPID. Empty messages have no bytes. */
    void onMessage(DataChannel channel, byte[] data, boolean binary);

    /** The channel is closed (its stream reset in both directions, or the association ended). */
    void onClose(DataChannel channel);
}
