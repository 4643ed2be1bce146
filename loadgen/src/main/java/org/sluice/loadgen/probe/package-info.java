/**
 * What the load generator reads about the server: CPU time and RSS from {@code /proc/<pid>}, counters
 * and GC pauses from its Prometheus {@code /metrics}, and a server jar it may start itself.
 */
package org.sluice.loadgen.probe;
