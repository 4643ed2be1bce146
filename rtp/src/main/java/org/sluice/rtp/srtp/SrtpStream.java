package org.sluice.rtp.srtp;

/**
 * Per-SSRC state of one session: the highest SRTP index (which carries the rollover counter and the
 * highest sequence number, RFC 3711 §3.3.1) with its replay window, the SRTCP replay window, and on the
 * sending side the highest index sent and the next SRTCP index.
 */
final class SrtpStream {

    final int ssrc;
    final ReplayWindow rtpWindow;
    final ReplayWindow rtcpWindow;
    long sendHighestIndex = -1;
    int nextSrtcpIndex;
    /** Its RTP stream ended ({@link SrtpStreamTable#retire}); the state is kept in case the SSRC returns. */
    boolean retired;

    SrtpStream(int ssrc, int windowSize) {
        this.ssrc = ssrc;
        this.rtpWindow = new ReplayWindow(windowSize);
        this.rtcpWindow = new ReplayWindow(windowSize);
    }

    /**
     * The packet index of sequence number {@code seq} given the highest index seen so far (RFC 3711
     * Appendix A): the rollover counter is guessed as ROC-1, ROC or ROC+1, whichever puts the packet
     * nearest the highest sequence number. A stream without history starts at ROC 0. Negative when the
     * guess is ROC-1 with ROC 0 (a packet from before the stream's first one across a wrap).
     */
    static long estimateIndex(long highestIndex, int seq) {
        if (highestIndex < 0) {
            return seq;
        }
        long roc = highestIndex >>> 16;
        int highestSeq = (int) (highestIndex & 0xffff);
        long v;
        if (highestSeq < 32768) {
            v = seq - highestSeq > 32768 ? roc - 1 : roc;
        } else {
            v = highestSeq - 32768 > seq ? roc + 1 : roc;
        }
        return v < 0 ? -1 : (v << 16) | seq;
    }
}
