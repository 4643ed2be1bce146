/**
 * The receive side of transport-wide congestion control: recording when each packet of a transport
 * arrived and reporting it to the sender as transport-cc feedback, so the sender's estimator (a
 * browser's GCC) can ramp up and back off; and, for a sender without transport-cc, a simple receive-side
 * estimate from the incoming rate and loss ({@link org.sluice.bandwidth.feedback.ReceiveSideEstimator}) for REMB.
 */
package org.sluice.bandwidth.feedback;
