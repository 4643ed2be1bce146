package org.sluice.core.net;

import org.sluice.rtp.ffm.ForeignCalls;

import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The C library's {@code sendmmsg(2)} and {@code getsockopt(2)} through the FFM API (Java 22+), for the media loops'
 * own batches of outgoing datagrams ({@link SendmmsgBatch}): where this is available a media loop hands its
 * datagrams to the kernel itself, and Netty's epoll transport only reads.
 *
 * <p>How the sends go is chosen once per JVM with {@value #PROPERTY}: {@code auto} (this class where it links)
 * or {@code netty} (every datagram through Netty's outbound buffer, which batches them with its own
 * {@code sendmmsg}). {@link #selected()} tells which, and why.
 */
public final class NativeUdp {

    /** The system property that chooses the UDP send path: {@code auto} (the default; any other value) or {@code netty}. */
    public static final String PROPERTY = "sluice.udp.send";
    /**
     * The system property that allows ({@code auto}, the default; any other value) or forbids ({@code off}) sending
     * runs of datagrams to one peer as one segmented message ({@code UDP_SEGMENT}).
     */
    public static final String SEGMENTATION_PROPERTY = "sluice.udp.segmentation";

    private static final int SOL_SOCKET = 1;
    private static final int SO_DOMAIN = 39;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    private final ForeignCalls ffm;
    /** {@code int getsockopt(int fd, int level, int name, void *value, socklen_t *length)}, critical. */
    private final MethodHandle getsockopt;

    private NativeUdp(ForeignCalls ffm) throws ReflectiveOperationException {
        this.ffm = ffm;
        this.getsockopt = ffm.libc("getsockopt", true, int.class, int.class, int.class, int.class, long.class,
                long.class);
        ffm.libc("sendmmsg", false, int.class, int.class, long.class, int.class, int.class); // links, or throws
    }

    /**
     * The choice of this JVM: the binding (null when sends go through Netty), a line for the log, and whether its
     * batches may segment runs ({@value #SEGMENTATION_PROPERTY}).
     */
    public record Choice(NativeUdp udp, String description, boolean segmentation) {

        @Override
        public String toString() {
            return description;
        }
    }

    /** What {@value #PROPERTY}, {@value #SEGMENTATION_PROPERTY} and this JVM give; decided once. */
    public static Choice selected() {
        return Selected.CHOICE;
    }

    static Choice choose(String requested) {
        return choose(requested, "auto");
    }

    static Choice choose(String requested, String segmentationRequested) {
        boolean segmentation = !"off".equals(segmentationRequested);
        if ("netty".equals(requested)) {
            return new Choice(null, "Netty's epoll transport (asked for with -D" + PROPERTY + "=netty)", segmentation);
        }
        ForeignCalls.Available available = ForeignCalls.load();
        if (available.calls() == null) {
            return new Choice(null, "Netty's epoll transport (" + available.unavailable() + ")", segmentation);
        }
        try {
            return new Choice(new NativeUdp(available.calls()), "sendmmsg from the media loops (FFM, the C library)",
                    segmentation);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return new Choice(null, "Netty's epoll transport (sendmmsg did not link: " + e + ")", segmentation);
        }
    }

    /**
     * A batch for the UDP socket {@code fd} (owned by the caller, open while the batch is used), or null when that
     * socket's address family cannot be read.
     */
    SendmmsgBatch batchFor(int fd, int capacity, boolean segmentation) {
        ByteBuffer scratch = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
        try {
            int family = family(fd, scratch);
            if (family != AF_INET && family != AF_INET6) {
                return null;
            }
            ForeignCalls.ErrnoCall sendmmsg = ffm.libcWithErrno("sendmmsg", int.class, int.class, long.class,
                    int.class, int.class);
            return new SendmmsgBatch(fd, family == AF_INET6, capacity, segmentation && segments(fd, scratch),
                    sendmmsg, ffm::address);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether the kernel segments UDP for {@code fd}: {@code getsockopt(UDP_SEGMENT)} answers (Linux 4.18+), as
     * it does for any UDP socket there.
     */
    private boolean segments(int fd, ByteBuffer scratch) {
        long base = ffm.address(scratch);
        scratch.putInt(0, -1).putInt(4, Integer.BYTES);
        try {
            int result = (int) getsockopt.invokeExact(fd, SendmmsgBatch.SOL_UDP, SendmmsgBatch.UDP_SEGMENT, base, base + 4);
            return result == 0 && scratch.getInt(0) >= 0;
        } catch (Throwable e) {
            return false;
        }
    }

    /** {@code SO_DOMAIN} of {@code fd}, or -1. */
    private int family(int fd, ByteBuffer scratch) {
        long base = ffm.address(scratch);
        scratch.putInt(0, 0).putInt(4, Integer.BYTES);
        try {
            int result = (int) getsockopt.invokeExact(fd, SOL_SOCKET, SO_DOMAIN, base, base + 4);
            return result == 0 ? scratch.getInt(0) : -1;
        } catch (Throwable e) {
            return -1;
        }
    }

    private static final class Selected {
        static final Choice CHOICE = choose(System.getProperty(PROPERTY, "auto"),
                System.getProperty(SEGMENTATION_PROPERTY, "auto"));
    }
}
