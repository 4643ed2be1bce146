package org.sluice.api.http;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.sluice.core.session.IceServer;
import org.sluice.core.session.OfferRejectedException;
import org.sluice.core.session.SessionAnswer;
import org.sluice.core.session.SessionService;
import org.sluice.core.session.TrickleResult;
import org.sluice.core.session.UnknownSessionException;

/**
 * A test double of the engine: sessions are ids in a map; an offer containing
 * {@code x-reject:REASON} is rejected with that reason, {@code x-crash} throws a RuntimeException;
 * a fragment containing {@code a=ice-ufrag:} is an ICE restart.
 */
final class ScriptedSessionService implements SessionService {

    final List<String> calls = new CopyOnWriteArrayList<>();
    final Map<String, String> etags = new ConcurrentHashMap<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final List<IceServer> engineIceServers;

    ScriptedSessionService(List<IceServer> engineIceServers) {
        this.engineIceServers = engineIceServers;
    }

    @Override
    public SessionAnswer publish(String room, String offerSdp) throws OfferRejectedException {
        return answer("publish", room, offerSdp);
    }

    @Override
    public SessionAnswer subscribe(String room, String offerSdp) throws OfferRejectedException {
        return answer("subscribe", room, offerSdp);
    }

    private SessionAnswer answer(String what, String room, String offer) throws OfferRejectedException {
        calls.add(what + " " + room);
        threads.add(Thread.currentThread().getName());
        int reject = offer.indexOf("x-reject:");
        if (reject >= 0) {
            String reason = offer.substring(reject + 9).strip();
            throw new OfferRejectedException(OfferRejectedException.Reason.valueOf(reason), "offer refused: " + reason);
        }
        if (offer.contains("x-crash")) {
            throw new IllegalStateException("engine bug with a secret detail");
        }
        String id = "s" + ids.incrementAndGet();
        etags.put(id, "e-" + id + "-1");
        return new SessionAnswer(id, "v=0\r\no=- answer-to " + room + "\r\n", "e-" + id + "-1");
    }

    @Override
    public TrickleResult trickle(String sessionId, String sdpFragment)
            throws UnknownSessionException, OfferRejectedException {
        calls.add("trickle " + sessionId);
        if (!etags.containsKey(sessionId)) {
            throw new UnknownSessionException(sessionId);
        }
        if (sdpFragment.contains("x-reject")) {
            throw new OfferRejectedException(OfferRejectedException.Reason.MALFORMED_SDP, "bad fragment");
        }
        if (sdpFragment.contains("a=ice-ufrag:")) {
            String etag = "e-" + sessionId + "-2";
            etags.put(sessionId, etag);
            return new TrickleResult("a=ice-ufrag:srv2\r\na=ice-pwd:serverpassword2222222222\r\n", etag);
        }
        return new TrickleResult(null, null);
    }

    @Override
    public boolean end(String sessionId) {
        calls.add("end " + sessionId);
        return etags.remove(sessionId) != null;
    }

    @Override
    public String etag(String sessionId) {
        return etags.get(sessionId);
    }

    @Override
    public List<IceServer> iceServers() {
        return engineIceServers;
    }
}
