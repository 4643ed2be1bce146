/**
 * Synthetic media: paced VP8 frames (valid payload descriptors, a key frame every interval or on
 * PLI) and Opus packets whose payloads end in a {@link org.sluice.loadgen.media.PayloadStamp} that
 * viewers check.
 */
package org.sluice.loadgen.media;
