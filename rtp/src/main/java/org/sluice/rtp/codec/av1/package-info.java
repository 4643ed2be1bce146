/**
 * The AV1 RTP dependency descriptor header extension (AV1 RTP specification, Appendix A): a
 * bounds-checked bit reader, the per-stream template dependency structure received on key frames,
 * and a reusable view resolving each packet's frame dependencies from that structure.
 */
package org.sluice.rtp.codec.av1;
