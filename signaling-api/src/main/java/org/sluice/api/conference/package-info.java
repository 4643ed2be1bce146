/**
 * The conferencing WebSocket endpoint {@code GET /ws} (protocol in {@code docs/protocol.md}): the upgrade and its
 * token check ({@link org.sluice.api.conference.ConferenceSocketRoute}), the JSON codec that turns hostile text
 * into validated {@link org.sluice.api.conference.ClientMessage}s ({@link org.sluice.api.conference.ProtocolCodec})
 * and events and replies into JSON ({@link org.sluice.api.conference.ServerMessages}), the per-socket state
 * machine that drives a {@link org.sluice.core.conference.Participant}
 * ({@link org.sluice.api.conference.ConferenceConnection}), the registry of live sockets per participant for
 * resumption ({@link org.sluice.api.conference.LiveConnections}), ping/idle supervision
 * ({@link org.sluice.api.conference.SocketLiveness}) and the endpoint's meters
 * ({@link org.sluice.api.conference.SocketMetrics}).
 */
package org.sluice.api.conference;
