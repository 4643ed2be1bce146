/**
 * Who takes part in a run and how it unfolds: WHIP {@link org.sluice.loadgen.scenario.Publisher}s and WHEP
 * {@link org.sluice.loadgen.scenario.Viewer}s (broadcast 1 → N per room),
 * {@link org.sluice.loadgen.scenario.ConferenceParticipant}s over {@code /ws} (conference M × M per room),
 * both at once against one server ({@link org.sluice.loadgen.scenario.MixedScenario}), the phases they share
 * once connected ({@link org.sluice.loadgen.scenario.Measurement}: warm up, measure, stop, drain, tally), and
 * the generator's capacity self-test without a server.
 */
package org.sluice.loadgen.scenario;
