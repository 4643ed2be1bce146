package org.sluice.api.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.sluice.core.forward.InboundStreamStats;
import org.sluice.core.forward.OutboundStreamStats;

/** The admin API's JSON shapes of media streams: what arrives from a publisher, what goes to a receiver. */
final class MediaStatsJson {

    private MediaStatsJson() {
    }

    /** {@code [{ssrc, rid, jitterMs, frameDelayVariationMs, layers:[{spatial, temporal, framesPerSecond, bitrateBps}]}]}. */
    static JsonArray inbound(List<InboundStreamStats> streams) {
        JsonArray out = new JsonArray();
        for (InboundStreamStats s : streams) {
            JsonArray layers = new JsonArray();
            for (InboundStreamStats.LayerStats l : s.layers()) {
                layers.add(new JsonObject()
                        .put("spatial", l.spatial())
                        .put("temporal", l.temporal())
                        .put("framesPerSecond", round(l.framesPerSecond()))
                        .put("bitrateBps", l.bitrateBps()));
            }
            out.add(new JsonObject()
                    .put("ssrc", s.ssrc())
                    .put("rid", s.rid())
                    .put("jitterMs", round(s.jitterMillis()))
                    .put("frameDelayVariationMs", s.frameDelayVariationMillis() < 0 ? null
                            : round(s.frameDelayVariationMillis()))
                    .put("layers", layers));
        }
        return out;
    }

    /**
     * {@code {packetsSent, packetsResent, framesDropped, fractionLost, cumulativeLost, jitter, jitterMs, rttMs}} into
     * {@code into}: what went out and what the receiver's reports say.
     */
    static JsonObject outbound(OutboundStreamStats s, JsonObject into) {
        return into
                .put("packetsSent", s.packetsSent())
                .put("packetsResent", s.packetsResent())
                .put("framesDropped", s.framesDropped())
                .put("fractionLost", s.fractionLost())
                .put("cumulativeLost", s.cumulativeLost())
                .put("jitter", s.jitter())
                .put("jitterMs", s.jitterMillis() < 0 ? null : round(s.jitterMillis()))
                .put("rttMs", s.rttMillis() < 0 ? null : round(s.rttMillis()));
    }

    /** Two decimals are plenty for rates and milliseconds, and keep the JSON short. */
    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
