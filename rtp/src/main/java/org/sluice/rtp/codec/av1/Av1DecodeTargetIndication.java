package org.sluice.rtp.codec.av1;

/** Decode target indication values (AV1 RTP specification, Appendix A, Table A.1). */
public final class Av1DecodeTargetIndication {
    /** The frame is not associated with the decode target. */
    public static final int NOT_PRESENT = 0;
    /** Associated, but no later frame of the target depends on it. */
    public static final int DISCARDABLE = 1;
    /** Associated, and decoding the target may start (switch) here. */
    public static final int SWITCH = 2;
    /** Associated and needed by later frames of the target. */
    public static final int REQUIRED = 3;

    private Av1DecodeTargetIndication() {
    }
}
