package org.sluice.core.datachannel;

import java.util.concurrent.atomic.LongAdder;

/** Data channel activity, shareable by every association of a process. */
public final class DataChannelCounters {
    final LongAdder channelsOpened = new LongAdder();
    final LongAdder channelsClosed = new LongAdder();
    final LongAdder messagesIn = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    /** DCEP messages that do not parse, or OPEN on a stream already in use. */
    final LongAdder dcepMalformed = new LongAdder();
    /** Data on a stream with no open channel, or with an unknown PPID. */
    final LongAdder messagesUnroutable = new LongAdder();
    /** Sends refused by the association (closed, too large, buffer full). */
    final LongAdder sendsRefused = new LongAdder();
    /** SCTP packets the DTLS layer did not send (not connected, larger than a record, engine failure). */
    final LongAdder recordsNotSent = new LongAdder();

    public long channelsOpened() { return channelsOpened.sum(); }
    public long channelsClosed() { return channelsClosed.sum(); }
    public long channelsOpen() { return channelsOpened.sum() - channelsClosed.sum(); }
    public long messagesIn() { return messagesIn.sum(); }
    public long bytesIn() { return bytesIn.sum(); }
    public long messagesOut() { return messagesOut.sum(); }
    public long bytesOut() { return bytesOut.sum(); }
    public long dcepMalformed() { return dcepMalformed.sum(); }
    public long messagesUnroutable() { return messagesUnroutable.sum(); }
    public long sendsRefused() { return sendsRefused.sum(); }
    public long recordsNotSent() { return recordsNotSent.sum(); }
}
