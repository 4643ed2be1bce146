/**
 * Per-source RTP reception statistics after RFC 3550 Appendix A: sequence validation with probation
 * and restart, loss (cumulative and per report interval) and interarrival jitter, filled into
 * report-block values without allocating.
 */
package org.sluice.rtp.stats;
