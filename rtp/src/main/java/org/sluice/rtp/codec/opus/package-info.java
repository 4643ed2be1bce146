/**
 * What forwarding needs from an Opus RTP payload (RFC 7587, RFC 6716 §3.1): the TOC byte's mode,
 * bandwidth, stereo flag and frame count, the packet duration, and DTX / comfort-noise detection.
 */
package org.sluice.rtp.codec.opus;
