/**
 * Codec payload descriptors shared entry points: the {@link org.sluice.rtp.codec.Codec} enum (SDP
 * encoding names and clock rates), {@link org.sluice.rtp.codec.KeyframeDetector} (one allocation-free
 * question for the forwarder), {@link org.sluice.rtp.codec.PayloadBounds} and
 * {@link org.sluice.rtp.codec.PictureId} (the 7/15-bit picture id of VP8 and VP9). The per-codec views
 * live in the sub-packages {@code vp8}, {@code vp9}, {@code h264}, {@code av1} and {@code opus}.
 */
package org.sluice.rtp.codec;
