package org.sluice.api.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * A clustered Vert.x (its cluster manager Hazelcast, configured by {@link HazelcastSettings}; the event bus on the
 * cluster host) and the room directory on its Hazelcast instance. Closing leaves the directory, then the cluster.
 */
public final class ClusterNode {

    private final Vertx vertx;
    private final RoomDirectory directory;

    private ClusterNode(Vertx vertx, RoomDirectory directory) {
        this.vertx = vertx;
        this.directory = directory;
    }

    /**
     * Joins the cluster; returns once this member is in it (alone if no other member answers).
     *
     * @throws IOException when Hazelcast or the event bus cannot start within {@code timeout}
     */
    public static ClusterNode join(ClusterSettings settings, VertxOptions options, LongSupplier nanoClock,
                                   Duration timeout) throws IOException {
        HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSettings.of(settings));
        options.getEventBusOptions().setHost(settings.host()).setPort(0);
        Vertx vertx;
        try {
            vertx = Vertx.builder().with(options).withClusterManager(manager).buildClustered()
                    .toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while joining the cluster", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("cannot join the cluster on " + settings.host() + ":" + settings.port() + ": "
                    + cause.getMessage(), cause);
        }
        return new ClusterNode(vertx, new RoomDirectory(manager.getHazelcastInstance(), settings.publicUrl(),
                nanoClock));
    }

    public Vertx vertx() {
        return vertx;
    }

    public RoomDirectory directory() {
        return directory;
    }
}
