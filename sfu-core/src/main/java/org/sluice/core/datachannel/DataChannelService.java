package org.sluice.core.datachannel;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import org.sluice.core.sctp.SctpCounters;
import org.sluice.core.sctp.SctpSettings;

/**
 * What every data channel of a process shares: the one thread their associations run on (data
 * channels are signalling-sized traffic and stay off the media loops), the counters, and the
 * room relay.
 */
public final class DataChannelService implements AutoCloseable {

    private final ScheduledExecutorService executor;
    private final LongSupplier nanoClock;
    private final SctpSettings settings;
    private final SctpCounters sctpCounters = new SctpCounters();
    private final DataChannelCounters channelCounters = new DataChannelCounters();
    private final RoomDataRelay relay;

    public DataChannelService(LongSupplier nanoClock, SctpSettings settings, RoomDataRelay.Limits limits) {
        this.nanoClock = nanoClock;
        this.settings = settings;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sluice-datachannel");
            thread.setDaemon(true);
            return thread;
        });
        this.relay = new RoomDataRelay(limits, nanoClock);
    }

    /** An association over a DTLS endpoint with these channel events; not started. */
    public SctpOverDtls create(boolean dtlsClient, SctpOverDtls.RecordSender sender, DataChannelListener listener) {
        return new SctpOverDtls(executor, nanoClock, settings, dtlsClient, sender, listener, channelCounters,
                sctpCounters);
    }

    public RoomDataRelay relay() {
        return relay;
    }

    public SctpCounters sctpCounters() {
        return sctpCounters;
    }

    public DataChannelCounters channelCounters() {
        return channelCounters;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
