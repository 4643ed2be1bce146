/**
 * STUN (RFC 8489, compatible with RFC 5389) as pure logic over Netty {@code ByteBuf}s: the reusable
 * message view {@link org.sluice.core.stun.StunMessage}, the builder
 * {@link org.sluice.core.stun.StunMessageWriter}, MESSAGE-INTEGRITY / MESSAGE-INTEGRITY-SHA256
 * ({@link org.sluice.core.stun.StunIntegrity}) and FINGERPRINT
 * ({@link org.sluice.core.stun.StunFingerprint}), plus demultiplexing helpers
 * ({@link org.sluice.core.stun.StunMessages}). No I/O happens here.
 */
package org.sluice.core.stun;
