/**
 * WHIP/WHEP broadcast rooms: one publisher seat and any number of viewers per room
 * ({@link org.sluice.core.broadcast.BroadcastRoom}), the publisher's and each viewer's media-plane session
 * ({@link org.sluice.core.broadcast.PublisherSession}, {@link org.sluice.core.broadcast.ViewerSession}).
 */
package org.sluice.core.broadcast;
