/**
 * H.264 RTP payload (RFC 6184 §5.6 to §5.8): single NAL unit packets, STAP-A and FU-A as a reusable
 * zero-copy view reporting NAL types, IDR/SPS/PPS presence and a start-of-frame hint.
 */
package org.sluice.rtp.codec.h264;
