package org.sluice.core.conference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.sluice.core.engine.SfuEngine;
import org.sluice.core.testing.ManualScheduler;
import org.sluice.core.testing.SimulatedParticipant;

import java.util.List;

import static org.sluice.core.conference.ConferenceTestSupport.CONNECT;
import static org.sluice.core.conference.ConferenceTestSupport.awaitConnected;
import static org.sluice.core.conference.ConferenceTestSupport.settle;
import static org.sluice.core.conference.ConferenceTestSupport.startEngine;

/**
 * Before each test, a loopback engine with two connected participants in room {@code "room"}: {@code "pub"},
 * who publishes audio and video, and {@code "sub"}, who only subscribes; after it, both and the engine closed.
 */
abstract class PublisherAndSubscriberTestBase {

    SfuEngine engine;
    SimulatedParticipant publisher;
    SimulatedParticipant subscriber;

    /** Shapes the publisher (e.g. simulcast layers) before its first offer; nothing by default. */
    void beforeOffer(SimulatedParticipant publisher) {
    }

    @BeforeEach
    final void openRoom() throws Exception {
        engine = startEngine(new ManualScheduler());
        publisher = SimulatedParticipant.join(engine.conferences(), "room", "pub");
        beforeOffer(publisher);
        publisher.negotiate(CONNECT);
        subscriber = SimulatedParticipant.join(engine.conferences(),
                new JoinRequest("room", "sub", null, true, false, true), false);
        settle(List.of(publisher, subscriber));
        awaitConnected(engine, "room", 2);
    }

    @AfterEach
    final void closeRoom() {
        subscriber.close();
        publisher.close();
        engine.close();
    }
}
