/**
 * C functions reached through the Foreign Function and Memory API of JDK 22+ from code compiled for Java 17
 * ({@link org.sluice.rtp.ffm.ForeignCalls}): OpenSSL's AES-GCM for SRTP, and the C library's {@code sendmmsg} for
 * the media loops' batched sends.
 */
package org.sluice.rtp.ffm;
