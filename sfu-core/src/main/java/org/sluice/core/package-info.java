/**
 * The SFU engine, embeddable without HTTP: UDP/TCP I/O, ICE-lite, DTLS-SRTP, SDP, rooms and the forwarding path.
 */
package org.sluice.core;
