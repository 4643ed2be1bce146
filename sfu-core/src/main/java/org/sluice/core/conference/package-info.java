/**
 * Multi-party conferencing: rooms of participants that each publish and receive tracks over one BUNDLEd
 * transport. The participant is always the SDP offerer; the server asks for an offer when it has new tracks
 * for it ({@link org.sluice.core.conference.ConferenceEvent.RenegotiationNeeded}). This package holds the
 * contract the signaling layer calls ({@link org.sluice.core.conference.ConferenceService},
 * {@link org.sluice.core.conference.Participant}, the events and value records) and its implementation:
 * {@link org.sluice.core.conference.Conferences} (rooms and participants by id), {@code ConferenceRoom},
 * {@code ParticipantSession} (one participant's control plane), {@code OfferHandler} (answers its offers),
 * {@code ParticipantMedia} (its media plane on the transport's loop), {@code PublishedTrack},
 * {@code Subscription} and {@code ReceiveSections} (which receive section carries which track). Room state is control plane (changed under the room's lock, published to the media loops as
 * immutable snapshots); forwarding reuses {@code org.sluice.core.forward}.
 */
package org.sluice.core.conference;
