/**
 * Who takes part in a run and how it unfolds: paced {@link org.sluice.loadgen.scenario.Publisher}s,
 * checking {@link org.sluice.loadgen.scenario.Viewer}s, and the broadcast scenario (1 → N per room)
 * with its phases: publish, join, warm up, measure, stop, drain, tally.
 */
package org.sluice.loadgen.scenario;
