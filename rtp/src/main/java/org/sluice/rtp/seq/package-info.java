/**
 * Wrap-around arithmetic on RTP sequence numbers (16-bit) and timestamps (32-bit), and unwrappers
 * that extend them to 64-bit values tolerant to reordering around the wrap.
 */
package org.sluice.rtp.seq;
