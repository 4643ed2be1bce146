/**
 * The receive side of transport-wide congestion control: recording when each packet of a transport
 * arrived and reporting it to the sender as transport-cc feedback, so the sender's estimator (a
 * browser's GCC) can ramp up and back off.
 */
package org.sluice.bandwidth.feedback;
