package org.sluice.rtp.testing;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ResourceLeakDetectorFactory} whose detectors remember every leak report instead of only
 * logging it, so a test run can fail on it. Installed once per test JVM by {@link NettyLeakGuard},
 * before Netty creates its buffer leak detector.
 */
final class LeakRecorder extends ResourceLeakDetectorFactory {

    private final List<String> reports = new ArrayList<>();

    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
            Class<T> resource, int samplingInterval, long maxActive) {
        return new RecordingDetector<>(resource, samplingInterval);
    }

    synchronized List<String> drain() {
        List<String> copy = new ArrayList<>(reports);
        reports.clear();
        return copy;
    }

    private synchronized void record(String report) {
        reports.add(report);
    }

    private final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record("LEAK: " + resourceType + " was not released." + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record("LEAK: " + resourceType + " was not released (no access records).");
        }
    }
}
