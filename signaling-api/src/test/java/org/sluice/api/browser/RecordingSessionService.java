package org.sluice.api.browser;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.sluice.core.session.IceServer;
import org.sluice.core.session.OfferRejectedException;
import org.sluice.core.session.SessionAnswer;
import org.sluice.core.session.SessionService;
import org.sluice.core.session.TrickleResult;

/** Records the offers browsers send and refuses them (503), for checking what the demo pages offer. */
final class RecordingSessionService implements SessionService {

    /** "publish room" or "subscribe room", then the offer SDP. */
    record Offer(String kind, String room, String sdp) {
    }

    final BlockingQueue<Offer> offers = new LinkedBlockingQueue<>();

    @Override
    public SessionAnswer publish(String room, String offerSdp) throws OfferRejectedException {
        offers.add(new Offer("publish", room, offerSdp));
        throw new OfferRejectedException(OfferRejectedException.Reason.UNAVAILABLE, "recording only");
    }

    @Override
    public SessionAnswer subscribe(String room, String offerSdp) throws OfferRejectedException {
        offers.add(new Offer("subscribe", room, offerSdp));
        throw new OfferRejectedException(OfferRejectedException.Reason.UNAVAILABLE, "recording only");
    }

    @Override
    public TrickleResult trickle(String sessionId, String sdpFragment) {
        return new TrickleResult(null, null);
    }

    @Override
    public boolean end(String sessionId) {
        return false;
    }

    @Override
    public String etag(String sessionId) {
        return null;
    }

    @Override
    public List<IceServer> iceServers() {
        return List.of();
    }
}
