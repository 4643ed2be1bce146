package org.sluice.core.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.sluice.core.forward.LayerRates;
import org.sluice.core.peer.MediaQualityObserver;

/**
 * Distributions of media quality over every leg: the publishers' per-layer frame rates and bitrates (tagged by
 * spatial and temporal layer id, at most {@link LayerRates#LAYERS}² series each), their RFC 3550 jitter and frame
 * delay variation, and the loss receivers report. Each meter is looked up once here; recording allocates nothing.
 */
final class QualityMetrics implements MediaQualityObserver {

    private final DistributionSummary[] layerFrameRates = new DistributionSummary[LayerRates.LAYERS * LayerRates.LAYERS];
    private final DistributionSummary[] layerBitrates = new DistributionSummary[layerFrameRates.length];
    private final DistributionSummary jitter;
    private final DistributionSummary frameDelayVariation;
    private final DistributionSummary receiverLoss;

    QualityMetrics(MeterRegistry registry) {
        for (int s = 0; s < LayerRates.LAYERS; s++) {
            for (int t = 0; t < LayerRates.LAYERS; t++) {
                String spatial = Integer.toString(s);
                String temporal = Integer.toString(t);
                layerFrameRates[s * LayerRates.LAYERS + t] = DistributionSummary.builder("sluice.ingress.layer.fps")
                        .description("frame rate of decoding a publisher video layer (with the layers below), "
                                + "sampled twice a second per stream")
                        .tag("spatial", spatial).tag("temporal", temporal)
                        .register(registry);
                layerBitrates[s * LayerRates.LAYERS + t] = DistributionSummary.builder("sluice.ingress.layer.bitrate")
                        .description("bitrate of a publisher video layer (with the layers below), "
                                + "sampled twice a second per stream")
                        .baseUnit("bits").tag("spatial", spatial).tag("temporal", temporal)
                        .register(registry);
            }
        }
        jitter = DistributionSummary.builder("sluice.ingress.jitter")
                .description("RFC 3550 interarrival jitter of publisher streams, sampled twice a second per stream")
                .baseUnit("milliseconds").publishPercentileHistogram()
                .minimumExpectedValue(0.1).maximumExpectedValue(1_000.0).register(registry);
        frameDelayVariation = DistributionSummary.builder("sluice.ingress.frame.delay.variation")
                .description("frame delay variation of publisher video streams (RFC 3550 jitter of completed frames), "
                        + "sampled twice a second per stream")
                .baseUnit("milliseconds").publishPercentileHistogram()
                .minimumExpectedValue(0.1).maximumExpectedValue(1_000.0).register(registry);
        receiverLoss = DistributionSummary.builder("sluice.receiver.loss")
                .description("fraction lost that receivers report for the streams we send them, per report block")
                .baseUnit("ratio").register(registry);
    }

    @Override
    public void ingressLayer(int spatial, int temporal, double framesPerSecond, long bitsPerSecond) {
        if (spatial < 0 || spatial >= LayerRates.LAYERS || temporal < 0 || temporal >= LayerRates.LAYERS) {
            return;
        }
        layerFrameRates[spatial * LayerRates.LAYERS + temporal].record(framesPerSecond);
        layerBitrates[spatial * LayerRates.LAYERS + temporal].record(bitsPerSecond);
    }

    @Override
    public void ingressJitter(double jitterMillis, double frameDelayVariationMillis) {
        jitter.record(jitterMillis);
        if (frameDelayVariationMillis >= 0) {
            frameDelayVariation.record(frameDelayVariationMillis);
        }
    }

    @Override
    public void receiverLoss(int fractionLost) {
        receiverLoss.record(fractionLost / 256.0);
    }
}
