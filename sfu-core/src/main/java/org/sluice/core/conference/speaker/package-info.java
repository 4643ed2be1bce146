/**
 * Active-speaker detection for a room. {@link org.sluice.core.conference.speaker.AudioLevelMeter} (one per
 * published audio track) turns the RFC 6464 audio level of every packet into a time-smoothed linear energy on
 * the publisher's loop, allocation- and lock-free; {@link org.sluice.core.conference.speaker.ActiveSpeakerDetector}
 * (one per room, control thread) samples the meters periodically and keeps an ordered speaker list with
 * hysteresis on membership and on order, reporting it only when it changes.
 */
package org.sluice.core.conference.speaker;
