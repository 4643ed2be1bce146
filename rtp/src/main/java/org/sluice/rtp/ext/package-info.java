/**
 * RFC 8285 RTP header extensions: {@link org.sluice.rtp.ext.HeaderExtensions}, a view over the
 * one-byte and two-byte extension blocks of a wrapped packet that finds, iterates, rewrites, adds
 * and removes elements in place; typed helpers for audio level (RFC 6464), abs-send-time,
 * transport-wide sequence numbers and the SDES mid/rid/repaired-rid items; and
 * {@link org.sluice.rtp.ext.ExtensionMap}, the negotiated id-to-URI table built on the control plane.
 */
package org.sluice.rtp.ext;
