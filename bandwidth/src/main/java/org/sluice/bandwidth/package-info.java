/**
 * Congestion control and bitrate allocation as pure logic driven by an injected clock. Depends on rtp only.
 */
package org.sluice.bandwidth;
