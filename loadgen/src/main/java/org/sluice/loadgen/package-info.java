/**
 * The load generator's command line: {@link org.sluice.loadgen.LoadGeneratorMain} parses the options
 * ({@link org.sluice.loadgen.CommandLine}), optionally starts the server jar, runs the scenario and
 * prints the table and the JSON report.
 */
package org.sluice.loadgen;
