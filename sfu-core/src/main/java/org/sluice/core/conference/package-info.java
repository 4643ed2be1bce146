/**
 * Multi-party conferencing: rooms of participants that each publish and receive tracks over one BUNDLEd
 * transport. The participant is always the SDP offerer; the server asks for an offer when it has new tracks
 * for it ({@link org.sluice.core.conference.ConferenceEvent.RenegotiationNeeded}). This package holds the
 * contract the signaling layer calls ({@link org.sluice.core.conference.ConferenceService},
 * {@link org.sluice.core.conference.Participant}, the events and value records); the implementation lives
 * beside it. Room state is control plane (changed under the room's lock, published to the media loops as
 * immutable snapshots); forwarding reuses {@code org.sluice.core.forward}.
 */
package org.sluice.core.conference;
