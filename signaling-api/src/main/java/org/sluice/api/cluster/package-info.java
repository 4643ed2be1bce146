/**
 * Several servers as one cluster (off by default): Vert.x clustered through Hazelcast
 * ({@link org.sluice.api.cluster.ClusterNode}, membership by static members or Kubernetes discovery,
 * {@link org.sluice.api.cluster.HazelcastSettings}), a cluster-wide directory of which node serves each conference
 * room and each broadcast ({@link org.sluice.api.cluster.RoomDirectory}), and what signaling does with a room that
 * lives on another node ({@link org.sluice.api.cluster.RoomPlacement}: WHIP/WHEP are redirected with 307, a
 * conference {@code join} is answered {@code wrong_node} with the node's URL). {@code GET /api/cluster} shows the
 * members and the rooms ({@link org.sluice.api.cluster.ClusterRoutes}).
 */
package org.sluice.api.cluster;
