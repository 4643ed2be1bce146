/**
 * SRTP and SRTCP (RFC 3711, RFC 7714): {@link org.sluice.rtp.srtp.SrtpSession} protects and
 * unprotects packets in place over Netty buffers for the profiles of {@link org.sluice.rtp.srtp.SrtpProfile},
 * with key derivation, rollover-counter estimation, replay windows and bounded per-SSRC stream state.
 *
 * <p>Bulk cryptography is the JDK's JCE, so the AES-NI, CLMUL and SHA intrinsics apply. AES-CM runs as
 * {@code AES/CTR/NoPadding} re-initialised per packet with a reused key and IV object
 * ({@link org.sluice.rtp.srtp.AesCounterKeystream}), HMAC-SHA1 over a reused {@code SHA-1} digest
 * ({@link org.sluice.rtp.srtp.HmacSha1}): no allocation per packet. AES-GCM has two backends
 * ({@link org.sluice.rtp.srtp.GcmBackend}): OpenSSL's libcrypto through the FFM API on Java 22 and later
 * ({@code OpenSslGcm}, {@code OpenSslGcmCipher}: keyed once, nothing allocated per packet, buffers with a native
 * address sealed where they lie, others through the thread's {@code OpenSslWorkspace}), else the JCE's
 * {@code AES/GCM/NoPadding} ({@code AesGcmCipher}), whose per-packet {@code init} allocates about 1 KB inside
 * SunJCE. Cipher instances and scratch arrays are reused per session; nothing here is thread-safe, a session
 * belongs to one event loop.
 */
package org.sluice.rtp.srtp;
