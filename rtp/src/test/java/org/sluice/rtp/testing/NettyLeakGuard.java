package org.sluice.rtp.testing;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Fails a test class when Netty reports a leaked buffer while it ran.
 *
 * <p>Registered for every test class through JUnit's extension auto-detection (see
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension}, shipped in this module's
 * test-jar, which every other module uses). Surefire runs tests with
 * {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked. After each class the
 * guard collects garbage, makes Netty poll its reference queues, and fails on any report.
 */
public final class NettyLeakGuard implements AfterAllCallback {

    private static final LeakRecorder RECORDER = install();

    private static LeakRecorder install() {
        LeakRecorder recorder = new LeakRecorder();
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(recorder);
        return recorder;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        List<String> leaks = collect();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " leaked buffer(s) in " + context.getDisplayName()
                    + ":\n" + String.join("\n\n", leaks));
        }
    }

    /** Forces the leak detectors to look at what the garbage collector found unreachable. */
    public static List<String> collect() throws InterruptedException {
        if (ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.DISABLED) {
            return List.of();
        }
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(20);
            // Every tracked allocation polls the detector's reference queue first.
            for (int i = 0; i < 8; i++) {
                ByteBufAllocator.DEFAULT.buffer(1).release();
                ByteBufAllocator.DEFAULT.directBuffer(1).release();
                PooledByteBufAllocator.DEFAULT.buffer(1).release();
                PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
                Unpooled.buffer(1).release();
            }
        }
        return RECORDER.drain();
    }
}
