/**
 * Frame awareness for inbound video streams, observed cut-through (no packet is ever held):
 * {@link org.sluice.rtp.frame.PacketTagger} reads each payload into a reusable
 * {@link org.sluice.rtp.frame.PacketTag} (frame boundaries, layers, picture ids, references),
 * {@link org.sluice.rtp.frame.FrameTracker} assembles the tags into layer frames and answers
 * completeness, decodability and NACK-usefulness questions, and
 * {@link org.sluice.rtp.frame.LayerStatistics} keeps per-layer frame rates, bitrates and frame delay
 * variation. Everything is single-threaded per stream and allocation-free per packet after
 * construction; hostile input is counted and ignored, never thrown.
 */
package org.sluice.rtp.frame;
