/**
 * What the sender remembers about packets carrying a transport-wide sequence number, and the
 * translation of transport-cc feedback into per-packet results: {@link
 * org.sluice.bandwidth.history.SendHistory} records each sent packet and turns a {@link
 * org.sluice.rtp.rtcp.twcc.TransportFeedbackView} into {@link
 * org.sluice.bandwidth.history.PacketResults} (send time, arrival time or lost, size, probe
 * cluster), reusing its arrays so steady-state feedback allocates nothing.
 */
package org.sluice.bandwidth.history;
