package org.sluice.core.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsTimeoutException;

/**
 * The {@link DatagramTransport} Bouncy Castle's DTLS engine reads from and writes to: inbound
 * datagrams come from a bounded queue fed by {@link DtlsEndpoint#receive}, outbound ones go to the
 * caller's {@link DtlsEndpoint.DatagramSender}. No sockets.
 *
 * <p>Two modes. During the handshake, {@link #receive} blocks on the queue for at most the wait
 * the engine asks for and never past the {@link HandshakeDeadline} (then it throws
 * {@link TlsTimeoutException}); {@link #close()} wakes it and makes it throw. After the handshake
 * ({@link #enterConnectedMode()}), {@link #receive} never blocks: it hands out a queued datagram or
 * throws {@link QueueDrainedException}, so a drain task runs only while there is work.
 */
final class QueueDatagramTransport implements DatagramTransport {

    private final BlockingQueue<byte[]> inbound;
    private final byte[] wakeUp = new byte[0];
    private final QueueDrainedException drained = new QueueDrainedException();
    private final DtlsEndpoint.DatagramSender sender;
    private final HandshakeDeadline deadline;
    private final DtlsCounters counters;
    private final int sendLimit;
    private final int receiveLimit;
    private volatile boolean connectedMode;
    private volatile boolean closed;

    QueueDatagramTransport(DtlsEndpoint.DatagramSender sender, HandshakeDeadline deadline, DtlsCounters counters,
                           int queueCapacity, int sendLimit, int receiveLimit) {
        this.inbound = new ArrayBlockingQueue<>(queueCapacity);
        this.sender = sender;
        this.deadline = deadline;
        this.counters = counters;
        this.sendLimit = sendLimit;
        this.receiveLimit = receiveLimit;
    }

    /** Queues one datagram (owned by the queue from now on); false when full or closed. */
    boolean offer(byte[] datagram) {
        return !closed && inbound.offer(datagram);
    }

    boolean hasPending() {
        return !inbound.isEmpty();
    }

    boolean isClosed() {
        return closed;
    }

    void enterConnectedMode() {
        connectedMode = true;
    }

    @Override
    public int getReceiveLimit() {
        return receiveLimit;
    }

    @Override
    public int getSendLimit() {
        return sendLimit;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (connectedMode) {
            return receiveNow(buf, off, len);
        }
        while (true) {
            if (closed) {
                throw new IOException("DTLS endpoint closed");
            }
            long remaining = deadline.remainingNanos();
            if (remaining == 0) {
                throw new TlsTimeoutException("DTLS handshake deadline passed");
            }
            long waitNanos = waitMillis > 0 ? Math.min(TimeUnit.MILLISECONDS.toNanos(waitMillis), remaining) : remaining;
            byte[] datagram;
            try {
                datagram = inbound.poll(waitNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a DTLS datagram");
            }
            if (datagram == null) {
                return -1; // the engine's retransmission timer or the deadline is due
            }
            if (datagram == wakeUp) {
                continue;
            }
            return copyOut(datagram, buf, off, len);
        }
    }

    private int receiveNow(byte[] buf, int off, int len) throws QueueDrainedException {
        while (!closed) {
            byte[] datagram = inbound.poll();
            if (datagram == null) {
                break;
            }
            if (datagram != wakeUp) {
                return copyOut(datagram, buf, off, len);
            }
        }
        throw drained;
    }

    private int copyOut(byte[] datagram, byte[] buf, int off, int len) {
        if (datagram.length > len) {
            counters.recordDropped();
            return -1;
        }
        System.arraycopy(datagram, 0, buf, off, datagram.length);
        return datagram.length;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            return;
        }
        try {
            sender.send(buf, off, len);
        } catch (RuntimeException e) {
            throw new IOException("datagram sender failed", e);
        }
    }

    /** Stops sending, discards queued datagrams and wakes a handshake blocked in {@link #receive}. Idempotent. */
    @Override
    public void close() {
        closed = true;
        inbound.clear();
        inbound.offer(wakeUp);
    }
}
