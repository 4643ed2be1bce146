/**
 * DTLS-SRTP for WebRTC transports (RFC 5764, RFC 8842, RFC 8827) on Bouncy Castle's low-level
 * DTLS API, without socket I/O.
 *
 * <h2>What lives here</h2>
 * <ul>
 *   <li>{@link org.sluice.core.dtls.DtlsCertificate}: the process-wide ECDSA P-256 self-signed
 *       certificate and its SHA-256 fingerprint for SDP.</li>
 *   <li>{@link org.sluice.core.dtls.DtlsFingerprint}: parsing an {@code a=fingerprint} value and
 *       matching a peer certificate against it in constant time.</li>
 *   <li>{@link org.sluice.core.dtls.DtlsEndpoint}: one association per ICE transport; hands the
 *       exported SRTP keys to its listener.</li>
 *   <li>{@link org.sluice.core.dtls.DtlsExecutors}: the bounded executor handshakes run on.</li>
 *   <li>{@link org.sluice.core.dtls.DtlsRecordFilter}: a view that rejects datagrams that are not
 *       well-formed DTLS records before they are copied.</li>
 *   <li>Package-private: the queue-backed {@code DatagramTransport}, the Bouncy Castle server and
 *       client peers, and the use_srtp/fingerprint/exporter logic they share
 *       ({@code DtlsSrtpNegotiation}).</li>
 * </ul>
 *
 * <h2>Threading design</h2>
 * Bouncy Castle's DTLS engine is blocking: {@code DTLSServerProtocol.accept} and
 * {@code DTLSClientProtocol.connect} run the whole handshake on the calling thread, reading from
 * a {@code DatagramTransport} with timeouts that drive retransmission. Event loops must never
 * block, so:
 * <ol>
 *   <li>{@code receive(ByteBuf)} (event loop) checks the datagram with {@code DtlsRecordFilter},
 *       copies it into a {@code byte[]} and offers it to a bounded per-endpoint queue. A full queue
 *       or a malformed datagram is dropped and counted. Nothing blocks, nothing throws.</li>
 *   <li>{@code start()} submits one handshake task to the bounded handshake executor. The task
 *       runs the engine over {@code QueueDatagramTransport}, whose {@code receive} polls the queue
 *       for at most the engine's wait and never past the handshake deadline (counted from
 *       {@code start()}, so time spent queued in the executor counts). Outgoing datagrams go
 *       straight to the caller's {@code DatagramSender}, which copies them to its event loop. A
 *       rejected submission fails the endpoint at once ({@code REASON_EXECUTOR_REJECTED}), it
 *       never waits.</li>
 *   <li>When the engine returns, the keys (already exported in {@code notifyHandshakeComplete})
 *       go to {@code onConnected}, the transport switches to non-blocking mode, and the thread is
 *       given back. No thread is held per connected endpoint.</li>
 *   <li>A datagram that arrives after the handshake schedules at most one drain task at a time
 *       on the same executor. It feeds queued datagrams to Bouncy Castle's {@code DTLSTransport}
 *       until the queue is empty; the transport then throws a preallocated
 *       {@code InterruptedIOException}, which Bouncy Castle passes through without failing the
 *       connection. This is how a retransmitted final flight from the peer (our last flight was
 *       lost) gets our flight retransmitted again, how close_notify becomes {@code onClosed}, how
 *       a fatal alert becomes {@code onFailed}, and how application data (e.g. SCTP) reaches
 *       {@code onApplicationData}.</li>
 *   <li>{@code close()} takes the engine lock for at most 50 ms to send close_notify, then closes
 *       the transport, which wakes and aborts a handshake still blocked in the queue.</li>
 * </ol>
 * Executor sizing: a handshake with a silent peer holds a thread until its timeout, so the pool
 * should have a few threads per core; its queue bound turns overload into fast failures.
 *
 * <h2>Protocol choices</h2>
 * DTLS 1.2 only; ECDHE_ECDSA AEAD suites with AES-128-GCM first (the client also offers
 * ECDHE_RSA for peers with RSA certificates; no CBC suites, see {@code DtlsCipherSuites}); no HelloVerifyRequest cookie (ICE connectivity checks already
 * prove the peer's address, and browsers do not use it either); the server always sends a
 * CertificateRequest and fails a handshake without a client certificate; the peer's end-entity
 * certificate must hash to the SDP fingerprint (otherwise a fatal {@code bad_certificate} alert).
 * use_srtp: the client offers the configured profiles in order (default AEAD_AES_128_GCM,
 * AEAD_AES_256_GCM, AES_CM_128_HMAC_SHA1_80), the server picks its most preferred one that was
 * offered. Keys come from the exporter with label {@code EXTRACTOR-dtls_srtp}, no context, split
 * as client key, server key, client salt, server salt (RFC 5764 §4.2).
 */
package org.sluice.core.dtls;
