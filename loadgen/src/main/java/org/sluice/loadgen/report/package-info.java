/** A run's {@link org.sluice.loadgen.scenario.RunResult} as JSON and as a table for people. */
package org.sluice.loadgen.report;
