package org.sluice.core.peer;

import org.sluice.core.forward.InboundStream;
import org.sluice.core.forward.KeyframeRequester;
import org.sluice.core.forward.MediaSlot;
import org.sluice.core.net.MediaLoop;
import org.sluice.core.transport.MediaTransport;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.ext.HeaderExtensions;
import org.sluice.rtp.stats.ReceiverStatistics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The RTP streams one peer sends us, learned on their first packet: by announced SSRC, by the mid header
 * extension or, for a single section, by kind; a section with rids needs the rid extension to tell its layers
 * apart. Keeps RFC 3550 statistics and packet/octet counters per stream and writes receiver reports for them.
 * Shared by WHIP publishers and conference participants; confined to the peer transport's loop, except that
 * {@link #useSections} may be called from any thread (renegotiation) and the counters may be read racily.
 */
public final class InboundStreams {

    /** Decides where a newly learned stream goes. Called on the transport's loop. */
    public interface Binder {

        /** The slot the stream of {@code section} (and {@code rid}, null without simulcast) feeds, or null to ignore it. */
        MediaSlot slotFor(MediaSection section, String rid);

        /** The stream was created; attach it to its slot if it should be forwarded now. */
        void onLearned(InboundStream stream, MediaSection section, String rid);

        /**
         * Whether an SSRC {@link #slotFor} refused is ignored for good (the default) or asked about again on its next
         * packet (its section may get a track soon).
         */
        default boolean ignoreForGood(MediaSection section) {
            return true;
        }
    }

    private static final int MAX_STREAMS = 16;
    private static final int MAX_IGNORED = 64;

    private final List<MediaLoop> loops;
    private final LongSupplier nanoClock;
    private final KeyframeRequester.Sink keyframeSink;
    private final Binder binder;
    private final HeaderExtensions extensions = new HeaderExtensions();
    private volatile List<MediaSection> sections;
    private InboundStream[] streams = new InboundStream[0];
    private MediaSection[] streamSections = new MediaSection[0];
    private ReceiverStatistics[] statistics = new ReceiverStatistics[0];
    private long[] packets = new long[0];
    private long[] octets = new long[0];
    private long[] ignoredSsrcs = new long[0];
    private RtpPacket view;
    private volatile long retiredPackets;
    private volatile long retiredOctets;

    public InboundStreams(List<MediaSection> sections, List<MediaLoop> loops, LongSupplier nanoClock,
                          KeyframeRequester.Sink keyframeSink, Binder binder) {
        this.sections = List.copyOf(sections);
        this.loops = loops;
        this.nanoClock = nanoClock;
        this.keyframeSink = keyframeSink;
        this.binder = binder;
    }

    /** Replaces the sections streams are learned from (a renegotiation); streams already learned stay. */
    public void useSections(List<MediaSection> next) {
        this.sections = List.copyOf(next);
    }

    /**
     * The stream {@code view} (wrapping a decrypted RTP packet) belongs to, learning it on its first packet, with
     * its statistics updated; null if the packet is not forwarded.
     */
    public InboundStream receive(RtpPacket view) {
        long ssrc = view.ssrc();
        int index = indexOf(ssrc);
        if (index < 0) {
            index = learn(view, ssrc);
            if (index < 0) {
                return null;
            }
        }
        long now = nanoClock.getAsLong();
        statistics[index].receive(view.sequenceNumber(), view.timestamp(), now);
        streams[index].markArrival(now);
        packets[index]++;
        octets[index] += view.payloadLength();
        return streams[index];
    }

    /**
     * Forgets the streams learned for section {@code mid} (its track ended; the same SSRCs may come back for a new
     * one) and the SSRCs ignored so far. On the transport's loop. Their counters stay in {@link #packets()}.
     */
    public void forgetSection(String mid) {
        int keep = 0;
        for (MediaSection owner : streamSections) {
            if (!owner.mid().equals(mid)) {
                keep++;
            }
        }
        int n = streams.length;
        InboundStream[] nextStreams = new InboundStream[keep];
        MediaSection[] nextSections = new MediaSection[keep];
        ReceiverStatistics[] nextStatistics = new ReceiverStatistics[keep];
        long[] nextPackets = new long[keep];
        long[] nextOctets = new long[keep];
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (streamSections[i].mid().equals(mid)) {
                retiredPackets += packets[i];
                retiredOctets += octets[i];
                continue;
            }
            nextStreams[j] = streams[i];
            nextSections[j] = streamSections[i];
            nextStatistics[j] = statistics[i];
            nextPackets[j] = packets[i];
            nextOctets[j] = octets[i];
            j++;
        }
        statistics = nextStatistics;
        packets = nextPackets;
        octets = nextOctets;
        streamSections = nextSections;
        streams = nextStreams;
        ignoredSsrcs = new long[0];
    }

    /** The m-section of a learned stream, or null. */
    public MediaSection sectionOf(InboundStream stream) {
        InboundStream[] s = streams;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == stream) {
                return streamSections[i];
            }
        }
        return null;
    }

    /** Learned streams (a snapshot; the array is replaced, never changed, when a stream is learned). */
    public InboundStream[] streams() {
        return streams;
    }

    /** Packets received of the streams of section {@code mid}; read racily from any thread. */
    public long packetsOf(String mid) {
        return sum(mid, packets);
    }

    /** RTP payload octets received of the streams of section {@code mid}; read racily from any thread. */
    public long octetsOf(String mid) {
        return sum(mid, octets);
    }

    /** Packets received of every stream, forgotten ones included; read racily. */
    public long packets() {
        return retiredPackets + sum(null, packets);
    }

    /** Payload octets received of every stream, forgotten ones included; read racily. */
    public long octets() {
        return retiredOctets + sum(null, octets);
    }

    private long sum(String mid, long[] counters) {
        MediaSection[] owners = streamSections;
        long total = 0;
        for (int i = 0; i < Math.min(owners.length, counters.length); i++) {
            if (mid == null || owners[i].mid().equals(mid)) {
                total += counters[i];
            }
        }
        return total;
    }

    /** A sender report from the peer: remembered by the stream for our receiver reports and timestamp mapping. */
    public void onSenderReport(long ssrc, long rtpTimestamp, long ntpMiddle32) {
        int index = indexOf(ssrc);
        if (index >= 0) {
            streams[index].onSenderReport(rtpTimestamp, ntpMiddle32, nanoClock.getAsLong());
        }
    }

    /** Sends a receiver report for the learned streams, if there are any. */
    public void sendReceiverReport(RtcpLeg rtcp, MediaTransport transport, long senderSsrc) {
        if (streams.length > 0) {
            rtcp.sendReceiverReport(transport, senderSsrc, streams, statistics);
        }
    }

    private int indexOf(long ssrc) {
        InboundStream[] s = streams;
        for (int i = 0; i < s.length; i++) {
            if (s[i].ssrc() == ssrc) {
                return i;
            }
        }
        return -1;
    }

    /** First packet of an SSRC: find its m-section and layer; -1 when it is not forwarded. */
    private int learn(RtpPacket packet, long ssrc) {
        for (long ignored : ignoredSsrcs) {
            if (ignored == ssrc) {
                return -1;
            }
        }
        this.view = packet;
        MediaSection section = sectionOf(ssrc);
        String rid = section == null ? null : readRid(section);
        MediaSlot slot = null;
        if (section != null && streams.length < MAX_STREAMS && !section.remoteRtxSsrcs().contains(ssrc)
                && (section.rids().isEmpty() || rid != null)) {
            slot = binder.slotFor(section, rid);
        }
        if (slot == null) {
            if (section != null && !binder.ignoreForGood(section)) {
                return -1;
            }
            if (ignoredSsrcs.length < MAX_IGNORED) {
                ignoredSsrcs = Arrays.copyOf(ignoredSsrcs, ignoredSsrcs.length + 1);
                ignoredSsrcs[ignoredSsrcs.length - 1] = ssrc;
            }
            return -1;
        }
        InboundStream stream = new InboundStream(ssrc, section.kind(), slot, section.codecs(), section.extensions(),
                section.clockRate(), new KeyframeRequester(ssrc, keyframeSink, nanoClock,
                KeyframeRequester.DEFAULT_INTERVAL_NANOS), loops);
        int n = streams.length;
        statistics = Arrays.copyOf(statistics, n + 1);
        statistics[n] = new ReceiverStatistics(section.clockRate());
        packets = Arrays.copyOf(packets, n + 1);
        octets = Arrays.copyOf(octets, n + 1);
        MediaSection[] owners = Arrays.copyOf(streamSections, n + 1);
        owners[n] = section;
        streamSections = owners;
        InboundStream[] grown = Arrays.copyOf(streams, n + 1);
        grown[n] = stream;
        streams = grown;
        binder.onLearned(stream, section, rid);
        return n;
    }

    private MediaSection sectionOf(long ssrc) {
        List<MediaSection> current = sections;
        for (MediaSection section : current) {
            if (section.remoteSsrcs().contains(ssrc) || section.remoteRtxSsrcs().contains(ssrc)) {
                return section;
            }
        }
        if (view.hasExtension() && extensions.wrap(view)) {
            for (MediaSection section : current) {
                int h = section.midExtensionId() > 0 ? extensions.find(section.midExtensionId()) : -1;
                if (h >= 0 && section.mid().equals(ascii(h, extensions.lengthAt(h)))) {
                    return section;
                }
            }
        }
        // A single section needs no mid to be found.
        return current.size() == 1 ? current.get(0) : null;
    }

    private String readRid(MediaSection section) {
        if (section.rids().isEmpty()) {
            return null;
        }
        if (section.ridExtensionId() == 0 || !view.hasExtension() || !extensions.wrap(view)) {
            return null;
        }
        int h = extensions.find(section.ridExtensionId());
        return h < 0 ? null : ascii(h, extensions.lengthAt(h));
    }

    private String ascii(int index, int length) {
        return view.buffer().toString(index, length, StandardCharsets.US_ASCII);
    }
}
