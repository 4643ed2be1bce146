/**
 * Wire formats as zero-copy views over Netty ByteBuf: RTP, header extensions, RTCP, SRTP/SRTCP, codec payload descriptors, sequence arithmetic and receiver statistics. Depends on netty-buffer only.
 */
package org.sluice.rtp;
