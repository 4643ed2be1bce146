package org.sluice.core.engine;

import org.sluice.core.broadcast.BroadcastSession;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.testing.ReceivedRtp;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.testing.Waits.await;

/** Small bounded-wait helpers shared by the engine tests. */
final class EngineTestSupport {

    static final Duration CONNECT = Duration.ofSeconds(5);
    static final Duration RECEIVE = Duration.ofSeconds(2);

    private EngineTestSupport() {
    }

    /**
     * Waits until the engine has installed the session's SRTP keys. The peer's DTLS client finishes
     * a moment before the engine's loop takes the keys; media sent in between is dropped (counted as
     * mediaBeforeKeys), as a browser's would be, and only a keyframe request would repair it.
     */
    static void awaitEngineConnected(SfuEngine engine, String sessionId) throws InterruptedException {
        await("engine side of " + sessionId + " connected", CONNECT, () -> {
            BroadcastSession session = engine.session(sessionId);
            return session != null && session.transport().isConnected();
        });
    }

    /** Waits until the room of {@code session} has {@code count} video and audio receivers attached. */
    static void awaitReceivers(SfuEngine engine, String sessionId, int count) throws InterruptedException {
        awaitEngineConnected(engine, sessionId);
        await(count + " receivers attached", CONNECT, () -> {
            BroadcastSession session = engine.session(sessionId);
            return session != null && session.room().slot(MediaKind.VIDEO).receiverCount() == count
                    && session.room().slot(MediaKind.AUDIO).receiverCount() == count;
        });
    }

    /** Asserts each packet's sequence number follows the previous one's (mod 2^16). */
    static void assertContinuous(List<ReceivedRtp> packets) {
        for (int i = 1; i < packets.size(); i++) {
            assertThat(packets.get(i).sequence())
                    .as("sequence after %d at index %d", packets.get(i - 1).sequence(), i)
                    .isEqualTo((packets.get(i - 1).sequence() + 1) & 0xFFFF);
        }
    }
}
