package org.sluice.core.net;

import io.netty.buffer.ByteBuf;
import org.sluice.rtp.ffm.ForeignCalls;

import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.ToLongFunction;

/**
 * Datagrams a media loop queued for its UDP socket, handed to the kernel with one {@code sendmmsg(2)} per flush (a
 * second one only when the kernel took part of them). Built by the loop itself in native memory: an
 * {@code mmsghdr}, an {@code iovec} pointing into the packet's own direct buffer, and a {@code sockaddr} per
 * datagram, so nothing is copied and nothing is allocated per packet (an IPv6 peer's address bytes are read once
 * per address object, {@link Ipv6AddressBytes}). Netty's outbound buffer does the same work
 * with an envelope, a size estimate, a pending-bytes count and a JNI read of each field per datagram.
 *
 * <p>Consecutive datagrams to one peer (a fan-out goes receiver by receiver, {@code RoundFanOut}) go as one message
 * that the kernel cuts into datagrams ({@code UDP_SEGMENT}, Linux 4.18): all of one size, the last possibly shorter.
 * The message crosses the kernel's send path once, and on a real interface the card or the driver's last step
 * segments it. Each datagram keeps its own bytes, length and order; only the system's work per datagram falls.
 *
 * <p>What the kernel refuses is dropped and counted, never retried later: datagrams that do not fit in a full send
 * buffer ({@code EAGAIN}, {@code ENOBUFS}) in {@link NetworkCounters#udpBackpressureDrops}, a datagram refused on
 * its own (no route, a firewall rule, an address of the wrong family) in {@link NetworkCounters#udpSendErrors}.
 * Media is better lost, and repaired, than late.
 *
 * <p>Used on the socket's event loop only. The socket must be open at {@link #flush}: the caller checks that on
 * the same loop that would close it, so the descriptor cannot have been closed and reused in between.
 */
final class SendmmsgBatch {

    /** Datagrams per batch: a fan-out of this many is one system call. */
    static final int DEFAULT_CAPACITY = 256;

    /** {@code struct mmsghdr} on LP64 Linux: a {@code msghdr} (56 bytes) and {@code msg_len}, padded to 64. */
    private static final int MMSGHDR = 64;
    private static final int MSG_NAME = 0;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_CONTROL = 32;
    private static final int MSG_CONTROLLEN = 40;
    private static final int IOVEC = 16;
    /** A {@code sockaddr_in6} (28 bytes) or {@code sockaddr_in} (16), in a slot of 32. */
    private static final int SOCKADDR = 32;
    private static final int SOCKADDR_IN6_LENGTH = 28;
    private static final int SOCKADDR_IN_LENGTH = 16;
    /**
     * A {@code cmsghdr} carrying {@code UDP_SEGMENT}: length (8 bytes), level, type, then the {@code u16} segment
     * size; {@code CMSG_LEN(2)} is 18, {@code CMSG_SPACE(2)} 24.
     */
    private static final int CMSG_SPACE = 24;
    private static final int CMSG_LEN = 18;
    static final int SOL_UDP = 17;
    static final int UDP_SEGMENT = 103;
    /** Segments per message the kernel takes ({@code UDP_MAX_SEGMENTS}, 64 before Linux 6.11). */
    static final int MAX_SEGMENTS = 64;
    /** Bytes per message: the UDP length field, less headers, with margin. */
    static final int MAX_MESSAGE_BYTES = 60_000;

    private static final int EINTR = 4;
    private static final int EBADF = 9;
    private static final int EAGAIN = 11;
    private static final int ENOTSOCK = 88;
    private static final int ENOBUFS = 105;
    private static final int EIO = 5;
    private static final int EINVAL = 22;
    private static final int EMSGSIZE = 90;
    private static final int MSG_DONTWAIT = 0x40;
    /** Interrupted calls retried in one flush before the rest is dropped. */
    private static final int MAX_INTERRUPTS = 8;

    /** Whether {@link Inet4Address#hashCode()} is the address on this JDK; see {@link #ipv4}. */
    private static final boolean HASH_IS_ADDRESS = hashIsAddress();

    private final int fd;
    private final boolean ipv6Socket;
    private final int capacity;
    private final MethodHandle sendmmsg;
    private final ForeignCalls.ErrnoCall call;
    /**
     * Native order: the mmsghdrs (one per message), the iovecs (one per datagram), the addresses (one per message),
     * the control messages (one per message), then the mmsghdrs of one message sent segment by segment.
     */
    private final ByteBuffer block;
    private final long base;
    private final int iovecs;
    private final int addresses;
    private final int controls;
    private final int unrolled;
    private final ByteBuf[] queued;
    /** Per message: its first datagram and how many datagrams it carries. */
    private final int[] firstDatagram;
    private final int[] segments;
    private final Ipv6AddressBytes ipv6Bytes = new Ipv6AddressBytes();
    /** Whether consecutive datagrams to one recipient may go as one message with {@code UDP_SEGMENT}. */
    private boolean segmentation;
    /** The recipient of the last message while it can take another segment, else null. */
    private InetSocketAddress openRecipient;
    private int openSegmentSize;
    private int openBytes;
    private int count;
    private int messages;
    /** Set by {@link #sendMessages} when the send buffer filled. */
    private boolean sendBufferFull;

    SendmmsgBatch(int fd, boolean ipv6Socket, int capacity, boolean segmentation, ForeignCalls.ErrnoCall sendmmsg,
                  ToLongFunction<ByteBuffer> addressOf) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.fd = fd;
        this.ipv6Socket = ipv6Socket;
        this.capacity = capacity;
        this.segmentation = segmentation;
        this.sendmmsg = sendmmsg.handle();
        this.call = sendmmsg;
        this.iovecs = capacity * MMSGHDR;
        this.addresses = iovecs + capacity * IOVEC;
        this.controls = addresses + capacity * SOCKADDR;
        this.unrolled = controls + capacity * CMSG_SPACE;
        this.block = ByteBuffer.allocateDirect(unrolled + MAX_SEGMENTS * MMSGHDR).order(ByteOrder.nativeOrder());
        this.base = addressOf.applyAsLong(block);
        this.queued = new ByteBuf[capacity];
        this.firstDatagram = new int[capacity];
        this.segments = new int[capacity];
        int nameLength = ipv6Socket ? SOCKADDR_IN6_LENGTH : SOCKADDR_IN_LENGTH;
        for (int i = 0; i < capacity; i++) {
            int header = i * MMSGHDR;
            block.putLong(header + MSG_NAME, base + addresses + (long) i * SOCKADDR);
            block.putInt(header + MSG_NAMELEN, nameLength);
            int control = controls + i * CMSG_SPACE;
            block.putLong(control, CMSG_LEN);
            block.putInt(control + 8, SOL_UDP);
            block.putInt(control + 12, UDP_SEGMENT);
        }
        for (int i = 0; i < MAX_SEGMENTS; i++) {
            block.putInt(unrolled + i * MMSGHDR + MSG_NAMELEN, nameLength);
            block.putLong(unrolled + i * MMSGHDR + MSG_IOVLEN, 1);
        }
    }

    /** Whether runs of datagrams to one recipient still go as segmented messages (off after the kernel refused one). */
    boolean segmentation() {
        return segmentation;
    }

    /** Whether {@code packet} can be queued here: its bytes have a native address. */
    static boolean fits(ByteBuf packet) {
        return packet.hasMemoryAddress();
    }

    boolean isFull() {
        return count == capacity;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /**
     * Queues {@code packet} (which {@link #fits}) for {@code recipient} and takes it over: it is released after the
     * flush that sends it. False, with the packet untouched, when the batch is full or the address cannot be sent
     * from this socket (unresolved, or IPv6 on an IPv4 socket).
     *
     * <p>With segmentation on, a datagram to the same recipient object as the one before, no larger than the first
     * of its run, joins that run's message: the kernel cuts the message into datagrams of the first one's size
     * ({@code UDP_SEGMENT}, Linux 4.18), and a smaller datagram ends the run.
     */
    boolean add(ByteBuf packet, InetSocketAddress recipient) {
        if (count == capacity) {
            return false;
        }
        int length = packet.readableBytes();
        if (!joinOpenMessage(recipient, length)) {
            int message = messages;
            if (!writeAddress(addresses + message * SOCKADDR, recipient)) {
                return false;
            }
            int header = message * MMSGHDR;
            block.putLong(header + MSG_IOV, base + iovecs + (long) count * IOVEC);
            block.putLong(header + MSG_IOVLEN, 1);
            block.putLong(header + MSG_CONTROL, 0);
            block.putLong(header + MSG_CONTROLLEN, 0);
            firstDatagram[message] = count;
            segments[message] = 1;
            messages = message + 1;
            openRecipient = segmentation ? recipient : null;
            openSegmentSize = length;
            openBytes = length;
        }
        int iovec = iovecs + count * IOVEC;
        block.putLong(iovec, packet.memoryAddress() + packet.readerIndex());
        block.putLong(iovec + 8, length);
        queued[count++] = packet;
        return true;
    }

    private boolean joinOpenMessage(InetSocketAddress recipient, int length) {
        if (recipient != openRecipient || length > openSegmentSize || length == 0) {
            return false;
        }
        int message = messages - 1;
        int carried = segments[message];
        if (carried == MAX_SEGMENTS || openBytes + length > MAX_MESSAGE_BYTES) {
            openRecipient = null;
            return false;
        }
        segments[message] = ++carried;
        openBytes += length;
        int header = message * MMSGHDR;
        block.putLong(header + MSG_IOVLEN, carried);
        if (carried == 2) {
            int control = controls + message * CMSG_SPACE;
            block.putShort(control + 16, (short) openSegmentSize);
            block.putLong(header + MSG_CONTROL, base + control);
            block.putLong(header + MSG_CONTROLLEN, CMSG_SPACE);
        }
        if (length < openSegmentSize) {
            openRecipient = null; // only the last segment may be shorter
        }
        return true;
    }

    private boolean writeAddress(int at, InetSocketAddress recipient) {
        InetAddress address = recipient.getAddress();
        int port = recipient.getPort();
        if (address instanceof Inet4Address four) {
            int ip = ipv4(four);
            if (ipv6Socket) {
                block.putShort(at, (short) NativeUdp.AF_INET6);
                putPort(at + 2, port);
                block.putInt(at + 4, 0); // flow information
                block.putLong(at + 8, 0); // ::ffff:a.b.c.d
                block.put(at + 16, (byte) 0).put(at + 17, (byte) 0).put(at + 18, (byte) 0xFF).put(at + 19, (byte) 0xFF);
                putIpv4(at + 20, ip);
                block.putInt(at + 24, 0); // scope
            } else {
                block.putShort(at, (short) NativeUdp.AF_INET);
                putPort(at + 2, port);
                putIpv4(at + 4, ip);
                block.putLong(at + 8, 0);
            }
            return true;
        }
        if (address instanceof Inet6Address six && ipv6Socket) {
            byte[] ip = ipv6Bytes.of(six);
            block.putShort(at, (short) NativeUdp.AF_INET6);
            putPort(at + 2, port);
            block.putInt(at + 4, 0);
            for (int i = 0; i < 16; i++) {
                block.put(at + 8 + i, ip[i]);
            }
            block.putInt(at + 24, six.getScopeId());
            return true;
        }
        return false;
    }

    private void putIpv4(int at, int ip) {
        block.put(at, (byte) (ip >>> 24)).put(at + 1, (byte) (ip >>> 16)).put(at + 2, (byte) (ip >>> 8))
                .put(at + 3, (byte) ip);
    }

    /**
     * The address as an int, without the array {@link InetAddress#getAddress()} allocates: an {@link Inet4Address}'s
     * hash code is its address (in every JDK so far), which {@link #HASH_IS_ADDRESS} checked once.
     */
    static int ipv4(Inet4Address address) {
        if (HASH_IS_ADDRESS) {
            return address.hashCode();
        }
        byte[] ip = address.getAddress();
        return (ip[0] & 0xFF) << 24 | (ip[1] & 0xFF) << 16 | (ip[2] & 0xFF) << 8 | (ip[3] & 0xFF);
    }

    private static boolean hashIsAddress() {
        int[] probes = {0x0A010203, 0xC0A8FFFE, 0xFF000001, 0x7F000001, 0x00000000};
        try {
            for (int probe : probes) {
                byte[] ip = {(byte) (probe >>> 24), (byte) (probe >>> 16), (byte) (probe >>> 8), (byte) probe};
                if (InetAddress.getByAddress(ip).hashCode() != probe) {
                    return false;
                }
            }
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private void putPort(int at, int port) {
        block.put(at, (byte) (port >>> 8)).put(at + 1, (byte) port);
    }

    /**
     * Hands everything queued to the kernel and releases it; what it refuses is dropped and counted in
     * {@code counters}. Returns the datagrams the kernel took.
     *
     * <p>A segmented message the kernel refuses ({@code EIO}: the device cannot checksum it; {@code EINVAL}: a
     * segment larger than the path's MTU, or checksums turned off on the socket) goes again datagram by datagram.
     * When the kernel takes them that way, this batch stops segmenting, counted in
     * {@link NetworkCounters#udpSegmentationRefusals}.
     */
    int flush(NetworkCounters counters) {
        try {
            sendBufferFull = false;
            return sendMessages(0, messages, true, counters);
        } finally {
            releaseQueued(count);
        }
    }

    /**
     * Hands {@code n} messages whose headers start at {@code headers} (an offset in {@link #block}) to the kernel;
     * returns the datagrams it took. With {@code queuedMessages} they are the queued messages (their
     * datagram counts in {@link #segments}), else the datagrams of one segmented message laid out one per message
     * ({@link #unroll}). What
     * the kernel refuses is counted; a full send buffer drops the rest and sets {@link #sendBufferFull}.
     */
    private int sendMessages(int headers, int n, boolean queuedMessages, NetworkCounters counters) {
        int sent = 0; // messages taken by the kernel, or skipped as refused
        int taken = 0;
        int interrupts = 0;
        while (sent < n) {
            int result = send(base + headers + (long) sent * MMSGHDR, n - sent);
            if (result > 0) {
                counters.udpMessagesOut.add(result);
                taken += datagrams(queuedMessages, sent, result);
                sent += result;
                continue;
            }
            int errno = call.errno();
            if (result < 0 && errno == EINTR && ++interrupts <= MAX_INTERRUPTS) {
                continue;
            }
            if (result == 0 || errno == EAGAIN || errno == ENOBUFS || errno == EINTR) {
                // the send buffer is full: the rest waits for nothing
                counters.udpBackpressureDrops.add(datagrams(queuedMessages, sent, n - sent));
                sendBufferFull = true;
                break;
            }
            if (errno == EBADF || errno == ENOTSOCK) {
                counters.udpSendErrors.add(datagrams(queuedMessages, sent, n - sent));
                break;
            }
            int refused = datagrams(queuedMessages, sent, 1);
            if (refused > 1 && (errno == EIO || errno == EINVAL || errno == EMSGSIZE)) {
                int alone = sendMessages(unroll(sent), refused, false, counters);
                if (alone > 0 && segmentation) { // it takes the datagrams, not the segmented message
                    segmentation = false;
                    counters.udpSegmentationRefusals.increment();
                }
                taken += alone;
                if (sendBufferFull) {
                    counters.udpBackpressureDrops.add(datagrams(queuedMessages, sent + 1, n - sent - 1));
                    break;
                }
            } else {
                counters.udpSendErrors.add(refused); // this message alone: skip it, send what follows
            }
            sent++;
        }
        return taken;
    }

    /** Datagrams in {@code length} messages from {@code from}: of the queued messages, else one each. */
    private int datagrams(boolean queuedMessages, int from, int length) {
        if (!queuedMessages) {
            return length;
        }
        int sum = 0;
        for (int i = from; i < from + length; i++) {
            sum += segments[i];
        }
        return sum;
    }

    /** Lays out the datagrams of segmented message {@code message} one per message; returns where their headers are. */
    private int unroll(int message) {
        int first = firstDatagram[message];
        long name = base + addresses + (long) message * SOCKADDR;
        for (int i = 0; i < segments[message]; i++) {
            int header = unrolled + i * MMSGHDR;
            block.putLong(header + MSG_NAME, name);
            block.putLong(header + MSG_IOV, base + iovecs + (long) (first + i) * IOVEC);
        }
        return unrolled;
    }

    private int send(long headers, int length) {
        try {
            return (int) sendmmsg.invokeExact(fd, headers, length, MSG_DONTWAIT);
        } catch (Throwable e) {
            throw new IllegalStateException("sendmmsg failed to run", e);
        }
    }
    /** Releases what is queued without sending it (the socket closed); returns how many were dropped. */
    int discard() {
        int n = count;
        releaseQueued(n);
        return n;
    }

    private void releaseQueued(int n) {
        for (int i = 0; i < n; i++) {
            ByteBuf packet = queued[i];
            queued[i] = null;
            packet.release();
        }
        count = 0;
        messages = 0;
        openRecipient = null;
    }
}
