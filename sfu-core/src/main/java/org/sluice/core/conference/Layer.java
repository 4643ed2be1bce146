package org.sluice.core.conference;

/**
 * One simulcast layer of a published video track, as its publisher declared it.
 *
 * @param rid    the RTP stream id
 * @param width  its width in pixels, 0 if not declared
 * @param height its height in pixels, 0 if not declared
 */
public record Layer(String rid, int width, int height) {
}
