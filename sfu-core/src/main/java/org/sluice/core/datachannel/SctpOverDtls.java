package org.sluice.core.datachannel;

import java.security.SecureRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.sluice.core.sctp.SctpAssociation;
import org.sluice.core.sctp.SctpCounters;
import org.sluice.core.sctp.SctpSettings;

/**
 * Runs one SCTP association and its {@link DataChannels} over a DTLS endpoint's application data
 * (RFC 8261). Everything touching the association runs on one single-threaded scheduler shared by
 * the process's data channels, never on a media loop: incoming records are copied and handed over,
 * outgoing packets go to the DTLS sender from that thread, and the association's one timer is
 * scheduled there. Both sides of WebRTC connect actively, so {@link #start()} sends INIT.
 */
public final class SctpOverDtls {

    /** Sends one SCTP packet as a DTLS application record; false if it could not. */
    @FunctionalInterface
    public interface RecordSender {
        boolean send(byte[] packet, int offset, int length);
    }

    private final ScheduledExecutorService executor;
    private final LongSupplier nanoClock;
    private final SctpAssociation association;
    private final DataChannels channels;
    private ScheduledFuture<?> timer;
    private long timerAt = Long.MAX_VALUE;
    private volatile boolean closed;

    /**
     * @param executor   single-threaded: every call into the association runs there
     * @param dtlsClient our DTLS role (even stream ids for the client, odd for the server)
     */
    public SctpOverDtls(ScheduledExecutorService executor, LongSupplier nanoClock, SctpSettings settings,
                        boolean dtlsClient, RecordSender sender, DataChannelListener listener,
                        DataChannelCounters channelCounters, SctpCounters sctpCounters) {
        this.executor = executor;
        this.nanoClock = nanoClock;
        this.channels = new DataChannels(dtlsClient, listener, channelCounters);
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.association = new SctpAssociation(settings, nanoClock, random, secret,
                packet -> {
                    if (!sender.send(packet, 0, packet.length)) {
                        channelCounters.recordsNotSent.increment();
                    }
                }, channels, sctpCounters);
        channels.attach(association);
    }

    /** The channels; use them only inside {@link #run}. */
    public DataChannels channels() {
        return channels;
    }

    /** Sends INIT once DTLS is connected. */
    public void start() {
        run(c -> association.connect());
    }

    /** A DTLS application record (any thread): copied, then fed to the association on its thread. */
    public void receive(byte[] data, int offset, int length) {
        if (closed) {
            return;
        }
        byte[] copy = new byte[length];
        System.arraycopy(data, offset, copy, 0, length);
        run(c -> association.receive(copy, 0, copy.length));
    }

    /** Runs {@code task} on the association's thread, then re-arms its timer. Dropped after close. */
    public void run(Consumer<DataChannels> task) {
        try {
            executor.execute(() -> {
                if (closed && association.state() == SctpAssociation.State.CLOSED) {
                    return;
                }
                task.accept(channels);
                rearm();
            });
        } catch (RejectedExecutionException e) {
            closed = true;
        }
    }

    /** Ends the association (ABORT if it is up); idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        run(c -> association.abort());
        closed = true;
    }

    public SctpAssociation.State state() {
        return association.state();
    }

    private void rearm() {
        long next = association.nextTimerNanos();
        if (next == timerAt) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        timerAt = next;
        if (next == Long.MAX_VALUE) {
            return;
        }
        long delay = Math.max(0, next - nanoClock.getAsLong());
        try {
            timer = executor.schedule(() -> {
                timer = null;
                timerAt = Long.MAX_VALUE;
                association.onTimer();
                rearm();
            }, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            closed = true;
        }
    }
}
