package org.sluice.core.net;

import java.net.InetAddress;

/**
 * Where the media sockets listen.
 *
 * @param bindAddress address the UDP and TCP sockets bind to
 * @param udpPort the one UDP port every transport shares (0 picks a free port)
 * @param tcpPort the ICE-TCP port (0 picks a free port, -1 disables ICE-TCP)
 * @param loops number of media event loops (each reads its own UDP socket where SO_REUSEPORT works)
 * @param udpSegmentation whether a media loop's own batch ({@link SendmmsgBatch}) may send consecutive datagrams to
 *                        one peer as one message the kernel segments ({@code UDP_SEGMENT}); used where the kernel
 *                        answers for it and {@value NativeUdp#SEGMENTATION_PROPERTY} is not {@code off}
 */
public record MediaNetworkConfig(InetAddress bindAddress, int udpPort, int tcpPort, int loops,
                                 boolean udpSegmentation) {

    /** Sockets with UDP segmentation where available. */
    public MediaNetworkConfig(InetAddress bindAddress, int udpPort, int tcpPort, int loops) {
        this(bindAddress, udpPort, tcpPort, loops, true);
    }

    public MediaNetworkConfig {
        if (loops < 1) {
            throw new IllegalArgumentException("at least one media loop is needed");
        }
    }
}
