package org.sluice.core.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed SDP session description (RFC 8866): the session-level lines and attributes, then the m= sections in
 * order. {@code otherLines} keeps session lines without a typed field (i=, u=, e=, p=, b=, t=, r=, z=, k=) in the
 * order read; {@code otherAttributes} keeps session attributes without a typed field. Optional values are
 * {@code null} when absent; lists are never null. Build with {@link #builder(Origin)}.
 */
public record SessionDescription(
        Origin origin, String sessionName, List<SdpLine> otherLines, Connection connection,
        List<Group> groups, boolean iceLite, String iceUfrag, String icePwd, List<String> iceOptions,
        List<Fingerprint> fingerprints, Setup setup, String msidSemantic, boolean extmapAllowMixed,
        List<Extmap> extmaps, List<Attribute> otherAttributes, List<MediaDescription> media) {

    public SessionDescription {
        otherLines = List.copyOf(otherLines);
        groups = List.copyOf(groups);
        iceOptions = List.copyOf(iceOptions);
        fingerprints = List.copyOf(fingerprints);
        extmaps = List.copyOf(extmaps);
        otherAttributes = List.copyOf(otherAttributes);
        media = List.copyOf(media);
    }

    /** The first group with these semantics (e.g. {@code BUNDLE}), or {@code null}. */
    public Group group(String semantics) {
        for (Group g : groups) {
            if (g.semantics().equals(semantics)) {
                return g;
            }
        }
        return null;
    }

    /** The m= section with this mid, or {@code null}. */
    public MediaDescription mediaByMid(String mid) {
        for (MediaDescription m : media) {
            if (mid.equals(m.mid())) {
                return m;
            }
        }
        return null;
    }

    /** A builder holding this description's values. */
    public Builder toBuilder() {
        Builder b = new Builder(origin);
        b.sessionName = sessionName;
        b.otherLines.addAll(otherLines);
        b.connection = connection;
        b.groups.addAll(groups);
        b.iceLite = iceLite;
        b.iceUfrag = iceUfrag;
        b.icePwd = icePwd;
        b.iceOptions.addAll(iceOptions);
        b.fingerprints.addAll(fingerprints);
        b.setup = setup;
        b.msidSemantic = msidSemantic;
        b.extmapAllowMixed = extmapAllowMixed;
        b.extmaps.addAll(extmaps);
        b.otherAttributes.addAll(otherAttributes);
        b.media.addAll(media);
        return b;
    }

    /** A builder with {@code s=-} and {@code t=0 0}. */
    public static Builder builder(Origin origin) {
        Builder b = new Builder(origin);
        b.otherLines.add(new SdpLine('t', "0 0"));
        return b;
    }

    /** Mutable builder; public fields keep it short, {@link #build()} copies them into the immutable record. */
    public static final class Builder {
        public Origin origin;
        public String sessionName = "-";
        public final List<SdpLine> otherLines = new ArrayList<>();
        public Connection connection;
        public final List<Group> groups = new ArrayList<>();
        public boolean iceLite;
        public String iceUfrag;
        public String icePwd;
        public final List<String> iceOptions = new ArrayList<>();
        public final List<Fingerprint> fingerprints = new ArrayList<>();
        public Setup setup;
        public String msidSemantic;
        public boolean extmapAllowMixed;
        public final List<Extmap> extmaps = new ArrayList<>();
        public final List<Attribute> otherAttributes = new ArrayList<>();
        public final List<MediaDescription> media = new ArrayList<>();

        Builder(Origin origin) {
            this.origin = origin;
        }

        public SessionDescription build() {
            return new SessionDescription(origin, sessionName, otherLines, connection, groups, iceLite, iceUfrag,
                    icePwd, iceOptions, fingerprints, setup, msidSemantic, extmapAllowMixed, extmaps,
                    otherAttributes, media);
        }
    }
}
