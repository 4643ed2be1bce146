package org.sluice.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.api.cluster.RoomPlacement.Kind;

/**
 * {@link RoomDirectory} over three real Hazelcast members on loopback, configured as the server configures them:
 * one owner per room however many nodes claim it at once, the others sent to the owner's URL; a killed member's rooms
 * are free again within seconds; reconciliation releases closed rooms after the grace and re-claims live ones.
 */
class RoomDirectoryTest {

    private final List<HazelcastInstance> instances = new ArrayList<>();
    private final List<RoomDirectory> directories = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();

    @AfterEach
    void stop() {
        for (HazelcastInstance instance : instances) {
            instance.getLifecycleService().terminate();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void startCluster(int size) throws IOException {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(freePort());
        }
        List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
        for (int i = 0; i < size; i++) {
            ClusterSettings settings = ClusterSettings.staticMembers("127.0.0.1", ports.get(i), members,
                    "http://node" + i + ".test:8080");
            HazelcastInstance instance = Hazelcast.newHazelcastInstance(HazelcastSettings.of(settings));
            instances.add(instance);
            directories.add(new RoomDirectory(instance, settings.publicUrl(), now::get));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (instances.get(0).getCluster().getMembers().size() < size && System.nanoTime() < deadline) {
            sleep(100);
        }
        assertThat(instances.get(0).getCluster().getMembers()).hasSize(size);
        // Until every partition has its backup: a member killed earlier can take entries with it.
        while (!instances.get(0).getPartitionService().isClusterSafe() && System.nanoTime() < deadline) {
            sleep(100);
        }
        assertThat(instances.get(0).getPartitionService().isClusterSafe()).isTrue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void oneNodeServesARoomAndTheOthersAreSentToIt() throws Exception {
        startCluster(3);
        RoomDirectory a = directories.get(0);
        RoomDirectory b = directories.get(1);
        assertThat(a.claim(Kind.CONFERENCE, "r")).isEmpty();
        assertThat(a.claim(Kind.CONFERENCE, "r")).as("claiming again is harmless").isEmpty();
        assertThat(b.claim(Kind.CONFERENCE, "r")).contains("http://node0.test:8080");
        assertThat(b.claim(Kind.BROADCAST, "r")).as("broadcasts are named apart").isEmpty();
        assertThat(directories.get(2).claim(Kind.BROADCAST, "r")).contains("http://node1.test:8080");
        assertThat(b.redirects()).as("a claim counts nothing: the caller counts a client it sends away").isZero();
        b.redirected();
        assertThat(b.redirects()).isEqualTo(1);

        // Twenty rooms claimed by all three at once: each gets one owner, and everyone agrees which.
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            Map<String, List<Future<Optional<String>>>> answers = new HashMap<>();
            for (int room = 0; room < 20; room++) {
                String name = "race-" + room;
                for (RoomDirectory d : directories) {
                    answers.computeIfAbsent(name, n -> new ArrayList<>()).add(pool.submit(() -> d.claim(Kind.CONFERENCE, name)));
                }
            }
            for (Map.Entry<String, List<Future<Optional<String>>>> e : answers.entrySet()) {
                List<Optional<String>> results = new ArrayList<>();
                for (Future<Optional<String>> f : e.getValue()) {
                    results.add(f.get(30, TimeUnit.SECONDS));
                }
                assertThat(results.stream().filter(Optional::isEmpty)).as(e.getKey() + " has one owner").hasSize(1);
                int owner = results.indexOf(Optional.empty());
                assertThat(results.stream().filter(Optional::isPresent).map(Optional::get))
                        .containsOnly("http://node" + owner + ".test:8080");
            }
        } finally {
            pool.shutdownNow();
        }

        RoomDirectory.Snapshot snapshot = b.snapshot();
        assertThat(snapshot.members()).hasSize(3);
        assertThat(snapshot.members().stream().filter(RoomDirectory.Member::self).findFirst().orElseThrow().rooms())
                .contains("broadcast/r");
        assertThat(snapshot.members().stream().mapToInt(m -> m.rooms().size()).sum()).isEqualTo(22);
    }

    @Test
    void aKilledMembersRoomsAreFreeWithinSeconds() throws Exception {
        startCluster(3);
        assertThat(directories.get(0).claim(Kind.CONFERENCE, "r")).isEmpty();
        assertThat(directories.get(1).claim(Kind.CONFERENCE, "r")).contains("http://node0.test:8080");
        long killedAt = System.nanoTime();
        instances.get(0).getLifecycleService().terminate(); // no goodbye: the others must notice
        long deadline = killedAt + TimeUnit.SECONDS.toNanos(30);
        Optional<String> answer = directories.get(1).claim(Kind.CONFERENCE, "r");
        while (answer.isPresent() && System.nanoTime() < deadline) {
            sleep(200);
            answer = directories.get(1).claim(Kind.CONFERENCE, "r");
        }
        double seconds = (System.nanoTime() - killedAt) / 1e9;
        System.out.printf("the killed member's room was claimed by a survivor after %.1f s%n", seconds);
        assertThat(answer).as("node 1 serves the room now").isEmpty();
        assertThat(seconds).isLessThan(15);
        assertThat(directories.get(2).claim(Kind.CONFERENCE, "r")).contains("http://node1.test:8080");
        assertThat(directories.get(2).snapshot().members()).hasSize(2);
    }

    @Test
    void reconciliationReleasesClosedRoomsAfterTheGraceAndReclaimsLiveOnes() throws Exception {
        startCluster(2);
        RoomDirectory a = directories.get(0);
        RoomDirectory b = directories.get(1);
        assertThat(a.claim(Kind.CONFERENCE, "closed")).isEmpty();
        assertThat(a.claim(Kind.CONFERENCE, "open")).isEmpty();
        a.reconcile(Kind.CONFERENCE, List.of("open"));
        assertThat(b.claim(Kind.CONFERENCE, "closed")).as("still within the grace").isPresent();
        now.addAndGet(RoomDirectory.CLAIM_GRACE_NANOS);
        a.reconcile(Kind.CONFERENCE, List.of("open"));
        assertThat(b.claim(Kind.CONFERENCE, "closed")).as("released: b takes it").isEmpty();
        assertThat(b.claim(Kind.CONFERENCE, "open")).isPresent();

        a.reconcile(Kind.BROADCAST, List.of("live-broadcast")); // served here but never claimed (lost)
        assertThat(b.claim(Kind.BROADCAST, "live-broadcast")).contains("http://node0.test:8080");
        a.close();
        assertThat(b.claim(Kind.CONFERENCE, "open")).as("a left: its rooms are free").isEmpty();
    }
}
