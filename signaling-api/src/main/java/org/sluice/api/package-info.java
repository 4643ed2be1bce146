/**
 * The server application on Vert.x: WHIP/WHEP, signaling, admin REST, auth, metrics, configuration and main.
 */
package org.sluice.api;
