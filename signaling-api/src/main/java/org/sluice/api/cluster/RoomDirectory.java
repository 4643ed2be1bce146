package org.sluice.api.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide room directory, in two Hazelcast maps (one backup each, so one lost member loses nothing):
 * {@code sluice.rooms} maps {@code kind/room} to the id of the member that serves it, {@code sluice.nodes} maps a
 * member id to its public HTTP base URL.
 *
 * <ul>
 *   <li><b>Claims</b> are {@code putIfAbsent}: of two nodes asked for a new room at once, one wins and the other
 *       sends its client there.</li>
 *   <li><b>A member that leaves</b> (shut down, or removed after {@value HazelcastSettings#MAX_NO_HEARTBEAT_SECONDS} s
 *       without heartbeats when killed) has its rooms and its address removed by every survivor (idempotent), so
 *       the next client of such a room makes the node it reaches the room's new home.</li>
 *   <li><b>Reconciliation</b> ({@link #reconcile}, every few seconds): a room this node holds in the directory
 *       but no longer serves (it closed) is released once its claim is older than {@link #CLAIM_GRACE_NANOS}; a
 *       room it serves that the directory lost is claimed again, and so is its address. (A member that dies
 *       while the partitions are still migrating, within seconds of the cluster forming, can take entries with
 *       it before their backups exist.)</li>
 * </ul>
 */
public final class RoomDirectory implements RoomPlacement, AutoCloseable {

    /** A claim not yet followed by a live room is kept this long (the room is being created meanwhile). */
    static final long CLAIM_GRACE_NANOS = 10_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(RoomDirectory.class);

    private final HazelcastInstance hazelcast;
    private final String self;
    private final IMap<String, String> rooms;
    private final IMap<String, String> nodes;
    private final LongSupplier nanoClock;
    private final String publicUrl;
    private final Map<String, Long> claimedAt = new ConcurrentHashMap<>();
    private final UUID membershipRegistration;
    private final LongAdder redirects = new LongAdder();
    private final List<java.util.function.Consumer<String>> departureListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public RoomDirectory(HazelcastInstance hazelcast, String publicUrl, LongSupplier nanoClock) {
        this.hazelcast = hazelcast;
        this.self = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.rooms = hazelcast.getMap("sluice.rooms");
        this.nodes = hazelcast.getMap("sluice.nodes");
        this.nanoClock = nanoClock;
        this.publicUrl = publicUrl;
        nodes.set(self, publicUrl);
        this.membershipRegistration = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                String member = event.getMember().getUuid().toString();
                forget(member);
                for (java.util.function.Consumer<String> listener : departureListeners) {
                    listener.accept(member);
                }
            }
        });
    }

    /** This member's id. */
    public String self() {
        return self;
    }

    @Override
    public Optional<String> claim(Kind kind, String room) throws PlacementUnavailable {
        String key = key(kind, room);
        try {
            String owner = rooms.putIfAbsent(key, self);
            for (int attempt = 0; owner != null && !owner.equals(self) && attempt < 3; attempt++) {
                String url = isMember(owner) ? nodes.get(owner) : null;
                if (url != null) {
                    return Optional.of(url);
                }
                // Its node is gone (or going: a member registers its address before it claims anything), and the
                // survivors have not cleared its rooms yet: take the room over.
                owner = rooms.replace(key, owner, self) ? self : rooms.putIfAbsent(key, self);
            }
            if (owner != null && !owner.equals(self)) {
                throw new PlacementUnavailable("the owner of " + kind.wireName() + " " + room + " keeps changing",
                        null);
            }
            claimedAt.putIfAbsent(key, nanoClock.getAsLong());
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new PlacementUnavailable("the room directory did not answer: " + e, e);
        }
    }

    @Override
    public Optional<String> locate(Kind kind, String room) throws PlacementUnavailable {
        try {
            String owner = rooms.get(key(kind, room));
            if (owner == null || owner.equals(self) || !isMember(owner)) {
                return Optional.empty();
            }
            return Optional.ofNullable(nodes.get(owner));
        } catch (RuntimeException e) {
            throw new PlacementUnavailable("the room directory did not answer: " + e, e);
        }
    }

    /**
     * The live member other than this one that serves the room, by id; empty when it is served here or by nobody.
     *
     * @throws PlacementUnavailable when the directory cannot answer
     */
    public Optional<String> owner(Kind kind, String room) throws PlacementUnavailable {
        try {
            String owner = rooms.get(key(kind, room));
            return owner == null || owner.equals(self) || !isMember(owner) ? Optional.empty() : Optional.of(owner);
        } catch (RuntimeException e) {
            throw new PlacementUnavailable("the room directory did not answer: " + e, e);
        }
    }

    /** Calls {@code listener} with the id of each member that leaves the cluster (on a Hazelcast thread). */
    public void onDeparture(java.util.function.Consumer<String> listener) {
        departureListeners.add(listener);
    }

    private boolean isMember(String id) {
        for (com.hazelcast.cluster.Member m : hazelcast.getCluster().getMembers()) {
            if (m.getUuid().toString().equals(id)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Brings the directory in line with the rooms this node serves now: releases stale claims of rooms it no
     * longer serves, claims again the rooms it serves that the directory lost. Blocking.
     */
    public void reconcile(Kind kind, Collection<String> liveRooms) {
        nodes.putIfAbsent(self, publicUrl); // lost with a member that died before its backups were made
        Set<String> live = new HashSet<>();
        for (String room : liveRooms) {
            live.add(key(kind, room));
        }
        long now = nanoClock.getAsLong();
        String prefix = kind.wireName() + "/";
        for (String key : ownedKeys()) {
            if (!key.startsWith(prefix) || live.contains(key)) {
                continue;
            }
            Long at = claimedAt.get(key);
            if (at == null || now - at >= CLAIM_GRACE_NANOS) {
                rooms.remove(key, self);
                claimedAt.remove(key);
            }
        }
        for (String key : live) {
            String owner = rooms.putIfAbsent(key, self);
            if (owner != null && !owner.equals(self)) {
                LOG.warn("{} is served here and on member {} (the directory keeps {})", key, owner, owner);
            }
            claimedAt.putIfAbsent(key, now);
        }
    }

    /** The members and the rooms each serves, for the admin API. */
    public Snapshot snapshot() {
        List<Member> members = new ArrayList<>();
        for (com.hazelcast.cluster.Member m : hazelcast.getCluster().getMembers()) {
            String id = m.getUuid().toString();
            List<String> served = new ArrayList<>();
            for (Map.Entry<String, String> e : rooms.entrySet(Predicates.equal("this", id))) {
                served.add(e.getKey());
            }
            served.sort(null);
            members.add(new Member(id, nodes.get(id), m.getAddress().toString(), id.equals(self), served));
        }
        return new Snapshot(self, members);
    }

    @Override
    public void redirected() {
        redirects.increment();
    }

    /** Clients sent to another node so far ({@link #redirected}). */
    public long redirects() {
        return redirects.sum();
    }

    public int members() {
        return hazelcast.getCluster().getMembers().size();
    }

    /** Removes a member's rooms and address (it left). */
    void forget(String member) {
        try {
            rooms.removeAll(Predicates.equal("this", member));
            nodes.remove(member);
            LOG.info("cluster member {} left; its rooms are free", member);
        } catch (RuntimeException e) {
            LOG.debug("forgetting member {} failed (another member did it, or the cluster is closing): {}", member,
                    e.toString());
        }
    }

    private Collection<String> ownedKeys() {
        return rooms.keySet(Predicates.equal("this", self));
    }

    /** Leaves the directory: this node's rooms and address go at once (others need not wait for the failure detector). */
    @Override
    public void close() {
        try {
            hazelcast.getCluster().removeMembershipListener(membershipRegistration);
            forget(self);
        } catch (RuntimeException e) {
            LOG.debug("leaving the room directory failed: {}", e.toString());
        }
    }

    private static String key(Kind kind, String room) {
        return kind.wireName() + "/" + room;
    }

    /** What {@code GET /api/cluster} shows. */
    public record Snapshot(String self, List<Member> members) {
    }

    /** One member: its id, public URL, cluster address, whether it is this node, and the rooms it serves. */
    public record Member(String id, String url, String address, boolean self, List<String> rooms) {
    }
}
