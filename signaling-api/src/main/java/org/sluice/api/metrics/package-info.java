/**
 * The Prometheus side of the server: {@link org.sluice.api.metrics.ServerMetrics} holds the registry
 * (JVM, Netty allocator and engine meters) that {@code GET /metrics} renders.
 */
package org.sluice.api.metrics;
