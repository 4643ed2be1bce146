package org.sluice.core.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * A trickle-ICE SDP fragment (RFC 8840, {@code application/trickle-ice-sdpfrag}), as sent in WHIP/WHEP PATCH
 * requests and ICE-restart responses: optional session-level ICE credentials, options and BUNDLE group, then
 * m= sections identified by {@code a=mid} carrying candidates and {@code a=end-of-candidates}. Parse with
 * {@link TrickleFragmentParser}; write with {@link #write()}.
 *
 * @param iceUfrag         session-level {@code a=ice-ufrag}, or null
 * @param icePwd           session-level {@code a=ice-pwd}, or null
 * @param iceOptions       session-level {@code a=ice-options}
 * @param iceLite          whether {@code a=ice-lite} is present
 * @param bundle           the {@code a=group:BUNDLE}, or null
 * @param endOfCandidates  whether a session-level {@code a=end-of-candidates} is present
 * @param sections         the m= sections in order
 */
public record TrickleFragment(String iceUfrag, String icePwd, List<String> iceOptions, boolean iceLite, Group bundle,
        boolean endOfCandidates, List<Section> sections) {

    /**
     * One m= section of a fragment.
     *
     * @param mediaLine       the m= line's value (after {@code m=}), e.g. {@code audio 9 UDP/TLS/RTP/SAVPF 0}
     * @param mid             its {@code a=mid}, or null
     * @param iceUfrag        its {@code a=ice-ufrag}, or null
     * @param icePwd          its {@code a=ice-pwd}, or null
     * @param candidates      its candidates in order
     * @param endOfCandidates whether {@code a=end-of-candidates} is present
     */
    public record Section(String mediaLine, String mid, String iceUfrag, String icePwd, List<Candidate> candidates,
            boolean endOfCandidates) {

        public Section {
            candidates = List.copyOf(candidates);
        }

        /** The media type of the m= line, e.g. {@code audio}. */
        public String kind() {
            int sp = mediaLine.indexOf(' ');
            return sp < 0 ? mediaLine : mediaLine.substring(0, sp);
        }
    }

    public TrickleFragment {
        iceOptions = List.copyOf(iceOptions);
        sections = List.copyOf(sections);
    }

    /** The ICE username fragment the fragment carries, session level first, else the first section's; or null. */
    public String effectiveIceUfrag() {
        if (iceUfrag != null) {
            return iceUfrag;
        }
        for (Section s : sections) {
            if (s.iceUfrag() != null) {
                return s.iceUfrag();
            }
        }
        return null;
    }

    /** The ICE password the fragment carries, session level first, else the first section's; or null. */
    public String effectiveIcePwd() {
        if (icePwd != null) {
            return icePwd;
        }
        for (Section s : sections) {
            if (s.icePwd() != null) {
                return s.icePwd();
            }
        }
        return null;
    }

    /** Whether the fragment carries a ufrag different from {@code currentUfrag}: an ICE restart (RFC 8840 4.4). */
    public boolean isIceRestart(String currentUfrag) {
        String ufrag = effectiveIceUfrag();
        return ufrag != null && !ufrag.equals(currentUfrag);
    }

    /** Every candidate in every section, in order. */
    public List<Candidate> allCandidates() {
        List<Candidate> out = new ArrayList<>();
        for (Section s : sections) {
            out.addAll(s.candidates());
        }
        return out;
    }

    /** Whether any section (or the session level) says {@code a=end-of-candidates}. */
    public boolean anyEndOfCandidates() {
        if (endOfCandidates) {
            return true;
        }
        for (Section s : sections) {
            if (s.endOfCandidates()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The fragment a server returns after an ICE restart: {@code a=ice-lite} if asked, the BUNDLE group over
     * {@code mids}, and one m= section per mid (media types from {@code kinds}) carrying the new credentials, with the
     * candidates and {@code a=end-of-candidates} in the first (the BUNDLE-tagged) section.
     */
    public static TrickleFragment iceRestartAnswer(String ufrag, String pwd, boolean iceLite, List<String> mids,
            List<String> kinds, List<Candidate> candidates) {
        if (mids.isEmpty() || mids.size() != kinds.size()) {
            throw new IllegalArgumentException("need one kind per mid and at least one mid");
        }
        List<Section> sections = new ArrayList<>(mids.size());
        for (int i = 0; i < mids.size(); i++) {
            boolean first = i == 0;
            sections.add(new Section(kinds.get(i) + " 9 UDP/TLS/RTP/SAVPF 0", mids.get(i), ufrag, pwd,
                    first ? candidates : List.of(), first));
        }
        return new TrickleFragment(null, null, List.of("trickle", "ice2"), iceLite, new Group("BUNDLE", mids), false,
                sections);
    }

    /** The fragment as text, CRLF line endings. */
    public String write() {
        StringBuilder out = new StringBuilder(512);
        if (iceLite) {
            line(out, "a=ice-lite");
        }
        if (!iceOptions.isEmpty()) {
            line(out, "a=ice-options:" + String.join(" ", iceOptions));
        }
        if (bundle != null) {
            line(out, "a=group:" + bundle);
        }
        if (iceUfrag != null) {
            line(out, "a=ice-ufrag:" + iceUfrag);
        }
        if (icePwd != null) {
            line(out, "a=ice-pwd:" + icePwd);
        }
        if (endOfCandidates) {
            line(out, "a=end-of-candidates");
        }
        for (Section s : sections) {
            line(out, "m=" + s.mediaLine());
            if (s.mid() != null) {
                line(out, "a=mid:" + s.mid());
            }
            if (s.iceUfrag() != null) {
                line(out, "a=ice-ufrag:" + s.iceUfrag());
            }
            if (s.icePwd() != null) {
                line(out, "a=ice-pwd:" + s.icePwd());
            }
            for (Candidate c : s.candidates()) {
                line(out, "a=candidate:" + c.value());
            }
            if (s.endOfCandidates()) {
                line(out, "a=end-of-candidates");
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append("\r\n");
    }
}
