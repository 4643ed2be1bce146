/**
 * SRTP and SRTCP (RFC 3711, RFC 7714): {@link org.sluice.rtp.srtp.SrtpSession} protects and
 * unprotects packets in place over Netty buffers for the profiles of {@link org.sluice.rtp.srtp.SrtpProfile},
 * with key derivation, rollover-counter estimation, replay windows and bounded per-SSRC stream state.
 *
 * <p>Bulk cryptography is the JDK's JCE ({@code AES/CTR/NoPadding}, {@code HmacSHA1},
 * {@code AES/GCM/NoPadding}), so the AES-NI, CLMUL and SHA intrinsics apply. Cipher and Mac instances
 * and scratch arrays are reused per session; nothing here is thread-safe, a session belongs to one
 * event loop.
 */
package org.sluice.rtp.srtp;
