package org.sluice.rtp.rtcp;

/** RTCP packet type (PT) values and feedback message types (FMT) that Sluice knows. */
public final class RtcpPacketType {
    /** Sender report, RFC 3550 §6.4.1. */
    public static final int SR = 200;
    /** Receiver report, RFC 3550 §6.4.2. */
    public static final int RR = 201;
    /** Source description, RFC 3550 §6.5. */
    public static final int SDES = 202;
    /** Goodbye, RFC 3550 §6.6. */
    public static final int BYE = 203;
    /** Application-defined, RFC 3550 §6.7 (skipped by Sluice). */
    public static final int APP = 204;
    /** Transport-layer feedback, RFC 4585 §6.2. */
    public static final int RTPFB = 205;
    /** Payload-specific feedback, RFC 4585 §6.3. */
    public static final int PSFB = 206;
    /** Extended reports, RFC 3611 (skipped by Sluice). */
    public static final int XR = 207;

    /** RTPFB FMT of the generic NACK, RFC 4585 §6.2.1. */
    public static final int FMT_NACK = 1;
    /** RTPFB FMT of transport-wide congestion control feedback. */
    public static final int FMT_TRANSPORT_CC = 15;
    /** PSFB FMT of the picture loss indication, RFC 4585 §6.3.1. */
    public static final int FMT_PLI = 1;
    /** PSFB FMT of the full intra request, RFC 5104 §4.3.1. */
    public static final int FMT_FIR = 4;
    /** PSFB FMT of application layer feedback (REMB), RFC 4585 §6.4. */
    public static final int FMT_AFB = 15;

    private RtcpPacketType() {
    }

    /** Whether Sluice has a view for this packet type (the others are iterated over and skipped). */
    public static boolean isKnown(int packetType) {
        return packetType == SR || packetType == RR || packetType == SDES || packetType == BYE
                || packetType == RTPFB || packetType == PSFB;
    }
}
