/**
 * ICE-lite (RFC 8445 §2.5, §6.1.3.1, §7.3) with consent freshness (RFC 7675): the per-transport
 * {@link org.sluice.core.ice.IceLiteAgent} answering connectivity checks, its credentials
 * ({@link org.sluice.core.ice.IceCredentials}), local host candidates for UDP and TCP passive
 * (RFC 6544) and the parser of remote candidate attributes for trickle ICE. Pure logic over
 * {@code ByteBuf}s with an injected clock; the transport code does the I/O.
 */
package org.sluice.core.ice;
