package org.sluice.rtp.codec.h264;

/** NAL unit type numbers (ITU-T H.264 Table 7-1) the forwarder cares about. */
public final class H264NalUnitType {
    public static final int NON_IDR_SLICE = 1;
    public static final int IDR_SLICE = 5;
    public static final int SEI = 6;
    public static final int SPS = 7;
    public static final int PPS = 8;
    public static final int ACCESS_UNIT_DELIMITER = 9;
    public static final int STAP_A = 24;
    public static final int STAP_B = 25;
    public static final int MTAP16 = 26;
    public static final int MTAP24 = 27;
    public static final int FU_A = 28;
    public static final int FU_B = 29;

    private H264NalUnitType() {
    }
}
