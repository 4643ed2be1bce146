/**
 * VP9 RTP payload descriptor (RFC 9628 §4.2), flexible and non-flexible modes with the scalability
 * structure, as a reusable zero-copy view with in-place picture id and TL0PICIDX rewriting.
 */
package org.sluice.rtp.codec.vp9;
