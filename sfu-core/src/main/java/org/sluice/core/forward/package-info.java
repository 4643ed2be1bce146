/**
 * The forwarding path. A {@link org.sluice.core.forward.MediaSlot} has at most one source
 * ({@link org.sluice.core.forward.InboundStream}, one publisher SSRC, fanned out on the publisher's loop and handed
 * once per other loop through a {@link org.sluice.core.forward.LoopMailbox}; on its own loop a video stream's
 * packets of one event-loop round go out together, receiver by receiver, {@link org.sluice.core.forward.RoundFanOut})
 * and any number of receivers
 * ({@link org.sluice.core.forward.OutboundStream}: its own SSRC, continuous sequence numbers and timestamps across
 * source changes, payload type and extension translation, one encryption pass). Receivers can move between slots
 * and pause from any thread. Keyframe requests are throttled per source ({@link org.sluice.core.forward.KeyframeRequester}).
 */
package org.sluice.core.forward;
