/**
 * VP8 RTP payload descriptor (RFC 7741 §4.2) and key-frame header (RFC 6386 §9.1) as a reusable,
 * zero-copy view with in-place rewriting of picture id, TL0PICIDX, TID and KEYIDX.
 */
package org.sluice.rtp.codec.vp8;
