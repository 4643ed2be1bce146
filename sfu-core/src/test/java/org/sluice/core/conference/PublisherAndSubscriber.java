package org.sluice.core.conference;

import org.sluice.core.engine.SfuEngine;
import org.sluice.core.testing.ManualScheduler;
import org.sluice.core.testing.SimulatedParticipant;

import java.util.List;
import java.util.function.Consumer;

import static org.sluice.core.conference.ConferenceTestSupport.CONNECT;
import static org.sluice.core.conference.ConferenceTestSupport.awaitConnected;
import static org.sluice.core.conference.ConferenceTestSupport.settle;
import static org.sluice.core.conference.ConferenceTestSupport.startEngine;

/**
 * A loopback engine with two connected participants in room {@code "room"}: {@code "pub"}, who publishes
 * audio and video, and {@code "sub"}, who only subscribes. Closing it closes both and the engine.
 */
final class PublisherAndSubscriber implements AutoCloseable {

    final SfuEngine engine;
    final SimulatedParticipant publisher;
    final SimulatedParticipant subscriber;

    private PublisherAndSubscriber(SfuEngine engine, SimulatedParticipant publisher,
                                   SimulatedParticipant subscriber) {
        this.engine = engine;
        this.publisher = publisher;
        this.subscriber = subscriber;
    }

    /** Opens the room; {@code beforeOffer} shapes the publisher (e.g. simulcast layers) before its first offer. */
    static PublisherAndSubscriber open(Consumer<SimulatedParticipant> beforeOffer) throws Exception {
        SfuEngine engine = startEngine(new ManualScheduler());
        SimulatedParticipant publisher = SimulatedParticipant.join(engine.conferences(), "room", "pub");
        beforeOffer.accept(publisher);
        publisher.negotiate(CONNECT);
        SimulatedParticipant subscriber = SimulatedParticipant.join(engine.conferences(),
                new JoinRequest("room", "sub", null, true, false, true), false);
        settle(List.of(publisher, subscriber));
        awaitConnected(engine, "room", 2);
        return new PublisherAndSubscriber(engine, publisher, subscriber);
    }

    @Override
    public void close() {
        subscriber.close();
        publisher.close();
        engine.close();
    }
}
