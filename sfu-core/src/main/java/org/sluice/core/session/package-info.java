/**
 * The engine's face toward signaling: WHIP/WHEP sessions created from SDP offers.
 */
package org.sluice.core.session;
