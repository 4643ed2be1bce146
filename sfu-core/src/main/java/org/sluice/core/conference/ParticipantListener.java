package org.sluice.core.conference;

/**
 * Receives what happens in a participant's room, in order. Called from engine threads, possibly under the room's
 * lock: implementations hand the event on (e.g. to the WebSocket's context) and return, never block or call back
 * into the engine synchronously.
 */
@FunctionalInterface
public interface ParticipantListener {

    void onEvent(ConferenceEvent event);
}
