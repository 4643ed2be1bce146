package org.sluice.core.conference;

/**
 * One active speaker.
 *
 * @param participantId who speaks
 * @param level         smoothed loudness, 0 (silence) to 1 (full scale)
 */
public record Speaker(String participantId, double level) {
}
