/**
 * Per-receiver layer selection and descriptor rewriting for scalable video: which packets of a
 * publisher's stream a receiver gets, and the codec payload descriptor it gets them with.
 *
 * <ul>
 *   <li>{@link org.sluice.rtp.layer.Vp8TemporalFilter} and {@link org.sluice.rtp.layer.Vp8Rewriter}: VP8
 *       temporal layers; picture id and TL0PICIDX stay continuous across dropped frames and simulcast
 *       switches.</li>
 *   <li>{@link org.sluice.rtp.layer.Vp9LayerFilter} and {@link org.sluice.rtp.layer.Vp9Rewriter}: VP9 SVC
 *       spatial and temporal layers, flexible and non-flexible mode, with the end-of-picture marker moved to
 *       the highest forwarded spatial layer.</li>
 *   <li>{@link org.sluice.rtp.layer.Av1LayerFilter}: decode targets from the dependency descriptor, for AV1
 *       and any other codec carrying it (Chrome's VP8 L1T3 names its temporal layers only there); with VP8,
 *       pair it with a {@link org.sluice.rtp.layer.Vp8Rewriter} told each dropped frame's temporal id.</li>
 * </ul>
 *
 * <p>Filters answer {@link org.sluice.rtp.layer.LayerDecision} bit flags. Rewriters never touch the
 * publisher's buffer, which all receivers share: they write the receiver's descriptor into the receiver's
 * outgoing buffer and report how many source payload bytes it replaces, so the caller encrypts that prefix
 * followed by the rest of the source payload in one pass
 * ({@link org.sluice.rtp.srtp.SrtpSession#protectRtp(io.netty.buffer.ByteBuf, int, int, io.netty.buffer.ByteBuf,
 * int, int)}).
 *
 * <p>Per packet, in the receiver's egress (VP8; VP9 alike with its filter's marker):
 * <pre>{@code
 * int decision = filter.decide(src, payloadOffset, payloadLength, rtpTimestamp);
 * if (!LayerDecision.isForward(decision)) {
 *     rewriter.dropped(src, payloadOffset, payloadLength);   // keeps the picture ids consecutive
 *     return;
 * }
 * // write the RTP header into out (headerLength bytes), then:
 * int consumed = rewriter.rewrite(src, payloadOffset, payloadLength, out);
 * if (consumed < 0) { ... drop: unparseable or a refused late packet, nothing was written ... }
 * int prefix = out.writerIndex() - headerEnd;
 * srtp.protectRtp(out, headerLength, prefix, src, payloadOffset + consumed, payloadLength - consumed);
 * }</pre>
 * On a switch to another source (simulcast encoding) at its key frame, call the rewriter's {@code rebase()}
 * and the filter's {@code reset()}: the filter then waits for the new source's key frame, whose RTP
 * timestamps and ids are unrelated to the old source's.
 *
 * <p>Every class here holds the state of one receiver's stream and is confined to that receiver's thread.
 * Nothing is allocated per packet, nothing is static and mutable, and no input makes them throw.
 */
package org.sluice.rtp.layer;
