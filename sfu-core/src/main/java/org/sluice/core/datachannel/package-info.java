/**
 * WebRTC data channels (RFC 8831) over an {@link org.sluice.core.sctp.SctpAssociation}: DCEP
 * (RFC 8832) open and acknowledge, negotiated channels, PPIDs, reliability options, and closing by
 * stream reset ({@link org.sluice.core.datachannel.DataChannels}); and the glue that runs an
 * association over a DTLS endpoint's application data on one serial executor, off the media
 * loops ({@link org.sluice.core.datachannel.SctpOverDtls}).
 */
package org.sluice.core.datachannel;
