package org.sluice.core.engine;

import org.sluice.core.peer.OfferNegotiator;
import org.sluice.core.datachannel.DataChannelService;
import org.sluice.core.sctp.SctpSettings;

import org.sluice.core.broadcast.BroadcastRoom;
import org.sluice.core.broadcast.BroadcastSession;
import org.sluice.core.session.BroadcastStats;
import org.sluice.core.peer.MediaSection;
import org.sluice.core.broadcast.PublisherSession;
import org.sluice.core.broadcast.RelayAnswer;
import org.sluice.core.broadcast.RelayOffer;
import org.sluice.core.forward.StreamIdentity;
import org.sluice.core.net.MediaLoop;
import org.sluice.core.peer.LegContext;
import org.sluice.core.peer.MediaQualityObserver;
import org.sluice.core.transport.CongestionCounters;
import org.sluice.core.peer.PeerLeg;
import org.sluice.core.forward.RepairCounters;
import org.sluice.core.broadcast.ViewerSession;
import org.sluice.core.conference.ConferenceContext;
import org.sluice.core.conference.ConferenceScheduler;
import org.sluice.core.conference.Conferences;
import org.sluice.core.dtls.DtlsCertificate;
import org.sluice.core.dtls.DtlsCounters;
import org.sluice.core.dtls.DtlsExecutors;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.forward.OutboundStream;
import org.sluice.core.ice.IceLiteAgent;
import org.sluice.core.ice.LocalCandidate;
import org.sluice.core.ice.TransportKind;
import org.sluice.core.net.MediaNetwork;
import org.sluice.core.net.MediaNetworkConfig;
import org.sluice.core.net.NetworkCounters;
import org.sluice.core.session.IceServer;
import org.sluice.core.session.OfferRejectedException;
import org.sluice.core.session.SessionAnswer;
import org.sluice.core.session.SessionService;
import org.sluice.core.session.RelayService;
import org.sluice.core.session.PendingRelay;
import org.sluice.core.session.TrickleResult;
import org.sluice.core.session.UnknownSessionException;
import org.sluice.core.transport.MediaTransport;
import org.sluice.core.transport.TransportCounters;
import org.sluice.core.transport.TransportDirectory;
import org.sluice.core.transport.TransportFactory;
import io.netty.buffer.ByteBufAllocator;
import org.sluice.rtp.srtp.SrtpSessionConfig;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The embeddable SFU: media sockets, transports and broadcast rooms behind the
 * {@link SessionService} that WHIP/WHEP signaling calls, and conference rooms behind
 * {@link #conferences()}. Thread-safe.
 */
public final class SfuEngine implements SessionService, RelayService, AutoCloseable {

    private final RepairCounters repair = new RepairCounters();
    private final CongestionCounters congestionCounters = new CongestionCounters();
    private volatile LongConsumer estimateObserver;
    private volatile MediaQualityObserver qualityObserver = MediaQualityObserver.NONE;
    private final LegContext legs;
    private volatile LongConsumer roundTripObserver;
    private final EngineConfig config;
    private final LongSupplier nanoClock;
    private final TransportDirectory directory = new TransportDirectory();
    private final MediaNetwork network;
    private final ExecutorService dtlsExecutor;
    private final DtlsCertificate certificate;
    private final TransportFactory transports;
    private final OfferNegotiator negotiator = new OfferNegotiator();
    private final Clock wallClock;
    private final Map<String, BroadcastRoom> rooms = new ConcurrentHashMap<>();
    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ForwardingTotals totals = new ForwardingTotals();
    private final JoinLatency conferenceJoins = new JoinLatency();
    /** Simulcast layers dynacast switched on or off at conference publishers. */
    private final LongAdder layerToggles = new LongAdder();
    /** Spreads the relays we dial over the media loops. */
    private final java.util.concurrent.atomic.AtomicInteger relayLoops = new java.util.concurrent.atomic.AtomicInteger();

    /** Join-to-connected times of conference participants, summed for a timer. */
    private static final class JoinLatency {
        final java.util.concurrent.atomic.LongAdder connects = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder nanos = new java.util.concurrent.atomic.LongAdder();
    }
    private final ScheduledExecutorService conferenceTimers;
    private final Conferences conferences;
    private volatile boolean closed;
    private volatile boolean draining;
    /** Our candidate attributes, the same for every transport (one shared port each). */
    private final List<String> candidates;

    /** A session and its resource's current ETag. */
    private record Entry(BroadcastSession session, String etag) {
    }

    private SfuEngine(EngineConfig config, Clock wallClock, LongSupplier nanoClock, ConferenceScheduler scheduler,
                      Conferences.Observer observer) throws IOException, InterruptedException {
        this.config = config;
        this.nanoClock = nanoClock;
        this.certificate = DtlsCertificate.generate();
        this.dtlsExecutor = DtlsExecutors.newHandshakeExecutor(config.dtlsThreads());
        try {
            this.network = MediaNetwork.start(new MediaNetworkConfig(config.bindAddress(), config.udpPort(),
                    config.tcpPort(), config.mediaLoops(), config.udpSegmentation()), directory);
        } catch (IOException | InterruptedException | RuntimeException e) {
            dtlsExecutor.shutdownNow();
            throw e;
        }
        directory.useLoops(network.loops());
        this.transports = new TransportFactory(directory, certificate, dtlsExecutor, config.dtlsHandshakeTimeout(),
                nanoClock, SrtpSessionConfig.withMaxStreams(config.srtpMaxStreams()),
                new DataChannelService(nanoClock, SctpSettings.defaults(), config.dataChannelLimits()));
        this.wallClock = wallClock;
        this.candidates = LocalCandidate.hosts(config.advertisedAddresses(), network.udpPort(), network.tcpPort())
                .stream()
                .filter(c -> config.udpCandidates() || c.transport() != TransportKind.UDP)
                .map(LocalCandidate::toSdpAttribute)
                .toList();
        if (scheduler == null) {
            this.conferenceTimers = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "sluice-conference");
                thread.setDaemon(true);
                return thread;
            });
            scheduler = ConferenceScheduler.of(conferenceTimers);
        } else {
            this.conferenceTimers = null;
        }
        Conferences.Observer metered = new Conferences.Observer() {
            @Override
            public void connected(long nanosSinceJoin) {
                conferenceJoins.connects.increment();
                conferenceJoins.nanos.add(nanosSinceJoin);
                observer.connected(nanosSinceJoin);
            }

            @Override
            public void retire(long packetsOut, long octetsOut, long nacksReceived, Runnable leaveLiveSet) {
                totals.retire(packetsOut, octetsOut, leaveLiveSet);
            }

            @Override
            public void layersToggled(int count) {
                layerToggles.add(count);
            }
        };
        this.legs = new LegContext(wallClock, nanoClock, "sluice", repair, this::roundTripMeasured,
                LegContext.DEFAULT_CONGESTION, congestionCounters, this::estimateMeasured, qualityRelay);
        this.conferences = new Conferences(new ConferenceContext(config.conference(), transports, negotiator,
                this::localParameters, network.loops(), wallClock, nanoClock, scheduler, metered, legs),
                () -> !closed && !draining);
    }

    /** Each round trip a receiver's report gives goes to the observer metrics installed, if any. Any loop. */
    private void roundTripMeasured(long nanos) {
        LongConsumer observer = roundTripObserver;
        if (observer != null) {
            observer.accept(nanos);
        }
    }

    private void estimateMeasured(long bitsPerSecond) {
        LongConsumer observer = estimateObserver;
        if (observer != null) {
            observer.accept(bitsPerSecond);
        }
    }

    /** Hands every leg's quality figures to the observer metrics installed, if any. Any loop. */
    private final MediaQualityObserver qualityRelay = new MediaQualityObserver() {
        @Override
        public void ingressLayer(int spatial, int temporal, double framesPerSecond, long bitsPerSecond) {
            qualityObserver.ingressLayer(spatial, temporal, framesPerSecond, bitsPerSecond);
        }

        @Override
        public void ingressJitter(double jitterMillis, double frameDelayVariationMillis) {
            qualityObserver.ingressJitter(jitterMillis, frameDelayVariationMillis);
        }

        @Override
        public void receiverLoss(int fractionLost) {
            qualityObserver.receiverLoss(fractionLost);
        }
    };

    /** Receives the publishers' per-layer rates and jitter and the receivers' reported loss (metrics distributions). */
    public void observeQuality(MediaQualityObserver observer) {
        this.qualityObserver = observer == null ? MediaQualityObserver.NONE : observer;
    }

    /** Receives each receiver's bandwidth estimate at each of its allocations (twice a second), in bits per second. */
    public void observeEstimates(LongConsumer observer) {
        this.estimateObserver = observer;
    }

    /** Feedback, probe and pacer counters of every receiver transport. */
    public CongestionCounters congestionCounters() {
        return congestionCounters;
    }

    /** Receives every round trip measured from receivers' reports, in nanoseconds (a metrics distribution). */
    public void observeRoundTrips(LongConsumer observer) {
        this.roundTripObserver = observer;
    }

    /** NACK, retransmission, packet cache and keyframe request counters of every leg. */
    public RepairCounters repairCounters() {
        return repair;
    }

    @Override
    public List<BroadcastStats> broadcasts() {
        List<BroadcastStats> out = new ArrayList<>();
        for (BroadcastRoom room : rooms.values()) {
            out.add(room.stats());
        }
        out.sort(Comparator.comparing(BroadcastStats::room));
        return out;
    }

    /** Opens the media sockets and starts the engine. */
    public static SfuEngine start(EngineConfig config) throws IOException, InterruptedException {
        return start(config, Clock.systemUTC(), System::nanoTime);
    }

    /** Starts the engine with injected clocks (tests drive consent and keyframe timing with them). */
    public static SfuEngine start(EngineConfig config, Clock wallClock, LongSupplier nanoClock)
            throws IOException, InterruptedException {
        return new SfuEngine(config, wallClock, nanoClock, null, NO_OBSERVER);
    }

    /**
     * Starts the engine with injected clocks and conference timers ({@code scheduler}, e.g. a manual one in tests)
     * and an observer of conference participants (metrics).
     */
    public static SfuEngine start(EngineConfig config, Clock wallClock, LongSupplier nanoClock,
                                  ConferenceScheduler scheduler, Conferences.Observer observer)
            throws IOException, InterruptedException {
        return new SfuEngine(config, wallClock, nanoClock, scheduler, observer == null ? NO_OBSERVER : observer);
    }

    private static final Conferences.Observer NO_OBSERVER = nanos -> { };

    /** Multi-party conferencing on this engine's transports. */
    public Conferences conferences() {
        return conferences;
    }

    /** Conference participants right now. */
    public int participantCount() {
        return conferences.participantCount();
    }

    public int udpPort() {
        return network.udpPort();
    }

    public int tcpPort() {
        return network.tcpPort();
    }

    /** Data channel counters, the SCTP counters and the room relay. */
    public DataChannelService dataChannels() {
        return transports.dataChannels();
    }

    public TransportCounters transportCounters() {
        return directory.counters();
    }

    /** Every transport's DTLS datagram counters, summed. */
    public DtlsCounters dtlsCounters() {
        return transports.dtlsCounters();
    }

    /** Transports open right now. */
    public int openTransports() {
        return directory.size();
    }

    public int sessionCount() {
        return sessions.size();
    }

    /** What the media sockets saw: datagrams and bytes in, TCP frames and refused connections. */
    /** The allocator the media path takes its buffers from (the media sockets' own). */
    public ByteBufAllocator mediaAllocator() {
        return network.loops().get(0).alloc();
    }

    public NetworkCounters networkCounters() {
        return network.counters();
    }

    /** Rooms that have a publisher or a viewer right now. */
    public int roomCount() {
        return rooms.size();
    }

    /** Live WHIP sessions (relays from other nodes not counted). */
    public int publisherCount() {
        return countSessions(s -> s instanceof PublisherSession publisher && !publisher.isRelay());
    }

    /** Live WHEP sessions (relays to other nodes not counted). */
    public int viewerCount() {
        return countSessions(s -> s instanceof ViewerSession viewer && !viewer.isRelay());
    }

    /** RTCP NACK packets viewers and conference participants sent since start. */
    public long nacksReceived() {
        return repair.nacksReceived.sum();
    }

    /** Simulcast layers dynacast switched on or off at conference publishers since start. */
    public long dynacastLayerToggles() {
        return layerToggles.sum();
    }

    /** Conference participants whose transport connected since start. */
    public long conferenceConnects() {
        return conferenceJoins.connects.sum();
    }

    /** Total time from join to connected of those participants, in nanoseconds. */
    public long conferenceConnectNanos() {
        return conferenceJoins.nanos.sum();
    }

    /** RTP packets forwarded to viewers and participants since start (live sessions summed now, plus ended ones). */
    public long packetsForwarded() {
        return totals.packetsForwarded(liveSessions(), conferences::packetsForwarded);
    }

    /** RTP payload octets forwarded to viewers since start. */
    public long octetsForwarded() {
        return totals.octetsForwarded(liveSessions(), conferences::octetsForwarded);
    }

    /** Keyframe requests (PLI or FIR) sent to WHIP publishers and conference participants since start. */
    public long keyframeRequestsSent() {
        long sum = 0;
        for (RepairCounters.KeyframeCause cause : RepairCounters.KeyframeCause.values()) {
            sum += repair.keyframeRequests(cause);
        }
        return sum;
    }

    private Iterable<BroadcastSession> liveSessions() {
        return () -> sessions.values().stream().map(Entry::session).iterator();
    }

    /**
     * Stops admitting sessions: new offers are refused as {@code UNAVAILABLE} while the live ones keep
     * flowing until they end or {@link #close()} is called. Idempotent.
     */
    public void drain() {
        draining = true;
    }

    /** True once {@link #drain()} or {@link #close()} was called. */
    public boolean isDraining() {
        return draining || closed;
    }

    /** The session with this id, for diagnostics and tests. */
    public BroadcastSession session(String id) {
        Entry entry = sessions.get(id);
        return entry == null ? null : entry.session();
    }

    @Override
    public SessionAnswer publish(String roomName, String offerSdp) throws OfferRejectedException {
        return publish(roomName, offerSdp, null);
    }

    /**
     * A WHIP publisher, or with {@code relayFrom} (a cluster member id) the relay with which that member, the
     * broadcast's origin, feeds the room here (see {@link #offerRelay}). A publisher takes the seat from a relay, and
     * a relay from an older relay; neither from a WHIP publisher.
     */
    public SessionAnswer publish(String roomName, String offerSdp, String relayFrom) throws OfferRejectedException {
        refuseWhenClosed();
        IceLiteAgent ice = transports.newAgent();
        OfferNegotiator.Result result = negotiator.publish(offerSdp, localParameters(ice));
        String id = newId();
        PublisherSession session;
        PublisherSession displaced;
        synchronized (rooms) {
            BroadcastRoom room = room(roomName);
            session = new PublisherSession(id, room, result.sections(), network.loops(), legs, () -> ended(id));
            if (relayFrom != null) {
                session.relayFrom(relayFrom);
            }
            displaced = room.claimPublisherOverRelay(session);
            if (displaced == null) {
                throw new OfferRejectedException(OfferRejectedException.Reason.CONFLICT,
                        "room " + roomName + " already has a publisher");
            }
        }
        if (displaced != session) {
            displaced.close(relayFrom == null ? "a publisher took the relay's place" : "a newer relay took its place");
        }
        MediaTransport transport = transports.create(id, ice, result.remote());
        session.bind(transport);
        // Registered before the transport can report anything, so an early end finds the session.
        SessionAnswer answer = register(session, result.answerSdp());
        transport.handleWith(session);
        return answer;
    }

    @Override
    public SessionAnswer subscribe(String roomName, String offerSdp) throws OfferRejectedException {
        refuseWhenClosed();
        IceLiteAgent ice = transports.newAgent();
        String cname = "sluice-" + roomName;
        OfferNegotiator.Result result = negotiator.subscribe(offerSdp, localParameters(ice), "sluice-" + roomName, cname);
        String id = newId();
        List<OutboundStream> outbound = new ArrayList<>();
        MediaTransport transport = transports.create(id, ice, result.remote());
        ViewerSession session;
        synchronized (rooms) {
            BroadcastRoom room = room(roomName);
            for (MediaSection section : result.sections()) {
                Long ssrc = result.localSsrcs().get(section.mid());
                if (ssrc != null) {
                    long rtxSsrc = result.localRtxSsrcs().getOrDefault(section.mid(), -1L);
                    OutboundStream stream = new OutboundStream(transport, ssrc, rtxSsrc, room.slot(section.kind()),
                            section.codecs(), section.extensions(), nanoClock, repair);
                    stream.useTransportCc(section.transportCcExtensionId());
                    if (section.kind() == MediaKind.VIDEO) {
                        stream.offerLayers(room.videoLayers()); // its allocator picks among those that arrive
                    }
                    outbound.add(stream);
                }
            }
            PeerLeg leg = PeerLeg.sendingOnly(legs.withCname(cname));
            leg.moveStreamsByAllocation();
            session = new ViewerSession(id, room, outbound, leg, () -> ended(id));
            room.addViewer(session);
        }
        session.bind(transport);
        // Registered before the transport can report anything, so an early end finds the session.
        SessionAnswer answer = register(session, result.answerSdp());
        transport.handleWith(session);
        return answer;
    }

    /**
     * The first half of relaying broadcast room {@code roomName} to another node (an edge): our ICE credentials and
     * SSRCs and the WHIP offer ({@link RelayOffer}) for the edge's ingest. Nothing is connected until
     * {@link #startRelay} gets the edge's answer.
     */
    @Override
    public RelayOffer offerRelay(String roomName) throws OfferRejectedException {
        refuseWhenClosed();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long[] video = new long[BroadcastRoom.VIDEO_LAYERS];
        for (int i = 0; i < video.length; i++) {
            video[i] = random.nextLong(1, 0x100000000L);
        }
        return RelayOffer.create(newId(), roomName, transports.newAgent(), certificate.sdpFingerprint(),
                random.nextLong(1, 0x100000000L), video, "sluice-" + roomName);
    }

    /**
     * Connects the relay {@code offer} with the edge's {@code answerSdp}: dials the edge from a socket of its own
     * (we are the controlling ICE agent and, as the edge answers passive, the DTLS client) and sends the room's audio
     * and every video layer slot, each on its own SSRC and named by mid and rid, to {@code edge} (a cluster member
     * id, for operators). The edge's NACKs are answered from our cache and its PLIs reach the publisher. Returns the
     * relay's session id; {@link #end} or the edge closing ends it.
     *
     * @throws OfferRejectedException when the answer is unusable, or no socket can be opened
     */
    @Override
    public String startRelay(PendingRelay pending, String answerSdp, String edge) throws OfferRejectedException {
        refuseWhenClosed();
        if (!(pending instanceof RelayOffer offer)) {
            throw new IllegalArgumentException("not an offer of this engine: " + pending);
        }
        RelayAnswer answer = RelayAnswer.parse(answerSdp);
        List<MediaLoop> loops = network.loops();
        MediaLoop loop = loops.get(Math.floorMod(relayLoops.getAndIncrement(), loops.size()));
        MediaTransport transport;
        try {
            transport = transports.dial(offer.id(), offer.ice(), answer.remote(), answer.candidate(), network, loop);
        } catch (IOException e) {
            throw new OfferRejectedException(OfferRejectedException.Reason.UNAVAILABLE, e.getMessage());
        }
        ViewerSession session;
        synchronized (rooms) {
            BroadcastRoom room = room(offer.room());
            List<OutboundStream> outbound = new ArrayList<>();
            if (answer.audio() != null) {
                OutboundStream audio = new OutboundStream(transport, offer.audioSsrc(), -1, room.slot(MediaKind.AUDIO),
                        answer.audio().codecs(), answer.audio().extensions(), nanoClock, repair);
                audio.identify(StreamIdentity.of(answer.audio().midId(), RelayOffer.AUDIO_MID, 0, null));
                outbound.add(audio);
            }
            if (answer.video() != null) {
                for (int layer = 0; layer < BroadcastRoom.VIDEO_LAYERS; layer++) {
                    OutboundStream video = new OutboundStream(transport, offer.videoSsrcs()[layer], -1,
                            room.videoLayer(layer), answer.video().codecs(), answer.video().extensions(), nanoClock,
                            repair);
                    video.identify(StreamIdentity.of(answer.video().midId(), RelayOffer.VIDEO_MID,
                            answer.video().ridId(), RelayOffer.rid(layer)));
                    outbound.add(video);
                }
            }
            PeerLeg leg = PeerLeg.sendingOnly(legs.withCname(offer.cname()));
            session = new ViewerSession(offer.id(), room, outbound, leg, () -> ended(offer.id()), edge);
            room.addViewer(session);
        }
        session.bind(transport);
        register(session, "");
        transport.handleWith(session);
        transport.startDialing();
        return offer.id();
    }

    @Override
    public SessionAnswer publishRelay(String roomName, String offerSdp, String origin) throws OfferRejectedException {
        return publish(roomName, offerSdp, java.util.Objects.requireNonNull(origin, "origin"));
    }

    /** Ends every relay that feeds a room here from {@code origin} (that member left the cluster); returns how many. */
    @Override
    public int endRelaysFrom(String origin) {
        int ended = 0;
        for (Entry entry : List.copyOf(sessions.values())) {
            if (entry.session() instanceof PublisherSession publisher && origin.equals(publisher.relayOrigin())) {
                publisher.close("relay origin " + origin + " left the cluster");
                ended++;
            }
        }
        return ended;
    }

    /** The live sessions that {@code which} accepts (a scrape's count: it allocates). */
    private int countSessions(java.util.function.Predicate<BroadcastSession> which) {
        int count = 0;
        for (Entry entry : sessions.values()) {
            if (which.test(entry.session())) {
                count++;
            }
        }
        return count;
    }

    /** Relays from here to other nodes now (each an edge of one of our rooms). */
    @Override
    public int relaysOut() {
        return countSessions(s -> s instanceof ViewerSession viewer && viewer.isRelay() && !viewer.isClosed());
    }

    /** Relays into rooms here from their origin on another node now. */
    @Override
    public int relaysIn() {
        return countSessions(s -> s instanceof PublisherSession publisher && publisher.isRelay()
                && !publisher.isClosed());
    }

    /**
     * After {@link #close()} the media loops are gone: new sessions could never connect; while draining
     * the engine admits none.
     */
    private void refuseWhenClosed() throws OfferRejectedException {
        if (closed) {
            throw new OfferRejectedException(OfferRejectedException.Reason.UNAVAILABLE, "the engine is shut down");
        }
        if (draining) {
            throw new OfferRejectedException(OfferRejectedException.Reason.UNAVAILABLE, "the engine is draining");
        }
    }

    private SessionAnswer register(BroadcastSession session, String answerSdp) {
        String etag = newEtag();
        sessions.put(session.id(), new Entry(session, etag));
        return new SessionAnswer(session.id(), answerSdp, etag);
    }

    private OfferNegotiator.Local localParameters(IceLiteAgent ice) {
        return new OfferNegotiator.Local(ice.localCredentials().ufrag(), ice.localCredentials().pwd(),
                certificate.sdpFingerprint(), candidates);
    }

    private BroadcastRoom room(String name) {
        return rooms.computeIfAbsent(name, n -> {
            BroadcastRoom room = new BroadcastRoom(n, network.loops().size());
            room.repairWindow(config.broadcastRepairWindow());
            return room;
        });
    }

    /**
     * Sets broadcast room {@code name}'s repair window ({@link BroadcastRoom#repairWindow}), creating the room if
     * it does not exist yet (a publisher that comes later finds it).
     */
    @Override
    public void broadcastRepairWindow(String name, java.time.Duration window) {
        BroadcastRoom.checkRepairWindow(window);
        room(name).repairWindow(window);
    }

    /** Broadcast room {@code name}'s repair window; the configured default for a room that is not open. */
    public java.time.Duration broadcastRepairWindow(String name) {
        BroadcastRoom room = rooms.get(name);
        return room == null ? config.broadcastRepairWindow() : java.time.Duration.ofNanos(room.repairWindowNanos());
    }

    @Override
    public TrickleResult trickle(String sessionId, String sdpFragment)
            throws UnknownSessionException, OfferRejectedException {
        Entry entry = sessions.get(sessionId);
        if (entry == null) {
            throw new UnknownSessionException(sessionId);
        }
        OfferNegotiator.Trickle trickle = negotiator.parseTrickle(sdpFragment);
        IceLiteAgent ice = entry.session().transport().ice();
        if (trickle.ufrag() == null || trickle.ufrag().equals(ice.remoteCredentials() == null ? null : ice.remoteCredentials().ufrag())) {
            return new TrickleResult(null, entry.etag());
        }
        if (trickle.password() == null) {
            throw new OfferRejectedException(OfferRejectedException.Reason.MALFORMED_SDP,
                    "an ICE restart fragment needs ice-pwd with its ice-ufrag");
        }
        transports.restartIce(entry.session().transport(), trickle.ufrag(), trickle.password());
        String etag = newEtag();
        if (!sessions.replace(sessionId, entry, new Entry(entry.session(), etag))) {
            throw new UnknownSessionException(sessionId); // it ended meanwhile
        }
        String fragment = negotiator.restartFragment(localParameters(ice), trickle);
        return new TrickleResult(fragment, etag);
    }

    @Override
    public boolean end(String sessionId) {
        Entry entry = sessions.get(sessionId);
        if (entry == null) {
            return false;
        }
        entry.session().close("ended by signaling");
        return true;
    }

    @Override
    public String etag(String sessionId) {
        Entry entry = sessions.get(sessionId);
        return entry == null ? null : entry.etag();
    }

    @Override
    public List<IceServer> iceServers() {
        return config.iceServers();
    }

    private void ended(String id) {
        Entry entry = sessions.get(id);
        if (entry != null) {
            // Retired and removed under the totals' lock, so the forwarding totals never go backwards.
            totals.retire(entry.session(), () -> sessions.remove(id));
            BroadcastRoom room = entry.session().room();
            // Joining a room and removing an empty one hold the same lock, so nobody joins a removed room.
            synchronized (rooms) {
                if (room.isEmpty()) {
                    rooms.remove(room.name(), room);
                }
            }
        }
    }

    private String newId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private String newEtag() {
        return "\"" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "\"";
    }

    @Override
    public void close() {
        closed = true;
        conferences.closeAll();
        for (Entry entry : List.copyOf(sessions.values())) {
            entry.session().close("server shutting down");
        }
        if (conferenceTimers != null) {
            conferenceTimers.shutdownNow();
        }
        network.close();
        dtlsExecutor.shutdownNow();
        transports.dataChannels().close();
        try {
            dtlsExecutor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
