package org.sluice.core.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads trickle-ICE SDP fragments (RFC 8840) within {@link SdpLimits}. Only a= and m= lines may appear; the
 * attributes that matter for trickle ICE are read (ice-ufrag, ice-pwd, ice-options, ice-lite, group, mid, candidate,
 * end-of-candidates), others are ignored. Throws only {@link SdpParseException}.
 */
public final class TrickleFragmentParser {

    private final SdpLimits limits;

    public TrickleFragmentParser() {
        this(SdpLimits.DEFAULT);
    }

    public TrickleFragmentParser(SdpLimits limits) {
        this.limits = limits;
    }

    /** Parses with {@link SdpLimits#DEFAULT}. */
    public static TrickleFragment parse(String fragment) throws SdpParseException {
        return new TrickleFragmentParser().read(fragment);
    }

    public TrickleFragment read(String fragment) throws SdpParseException {
        if (fragment == null || fragment.isEmpty()) {
            throw new SdpParseException(0, "empty fragment");
        }
        if (fragment.length() > limits.maxChars()) {
            throw new SdpParseException(0, "fragment longer than " + limits.maxChars() + " characters");
        }
        try {
            return readLines(fragment);
        } catch (RuntimeException e) {
            throw new SdpParseException(0, "internal parser failure " + e.getClass().getSimpleName());
        }
    }

    private TrickleFragment readLines(String fragment) throws SdpParseException {
        SdpParser.LineReader lines = new SdpParser.LineReader(fragment, limits);
        String ufrag = null;
        String pwd = null;
        List<String> options = new ArrayList<>();
        boolean lite = false;
        Group bundle = null;
        boolean sessionEnd = false;
        List<TrickleFragment.Section> sections = new ArrayList<>();
        SectionBuilder current = null;
        int attributes = 0;
        while (lines.next()) {
            int line = lines.lineNumber();
            String value = lines.value();
            if (lines.type() == 'm') {
                if (current != null) {
                    sections.add(current.build());
                }
                if (sections.size() >= limits.maxMediaSections()) {
                    throw new SdpParseException(line, "more than " + limits.maxMediaSections() + " m= sections");
                }
                if (Tokens.splitSpaces(value, 4).size() < 4 || !Tokens.isVisible(value.replace(' ', '_'), 1024)) {
                    throw new SdpParseException(line, "m= needs <media> <port> <proto> <fmt>");
                }
                current = new SectionBuilder(value);
                attributes = 0;
                continue;
            }
            if (lines.type() != 'a') {
                throw new SdpParseException(line, "a trickle fragment holds only a= and m= lines");
            }
            if (++attributes > limits.maxAttributesPerSection()) {
                throw new SdpParseException(line, "more than " + limits.maxAttributesPerSection()
                        + " attributes in one section");
            }
            int colon = value.indexOf(':');
            String name = colon < 0 ? value : value.substring(0, colon);
            String attrValue = colon < 0 ? null : value.substring(colon + 1);
            if (current == null) {
                switch (name) {
                    case "ice-ufrag" -> ufrag = AttributeParsers.iceUfrag(attrValue, line);
                    case "ice-pwd" -> pwd = AttributeParsers.icePwd(attrValue, line);
                    case "ice-options" -> options.addAll(AttributeParsers.iceOptions(attrValue, line));
                    case "ice-lite" -> lite = true;
                    case "group" -> {
                        Group g = AttributeParsers.group(attrValue, line);
                        if (g.semantics().equals("BUNDLE")) {
                            bundle = g;
                        }
                    }
                    case "end-of-candidates" -> sessionEnd = true;
                    case "candidate" -> throw new SdpParseException(line, "a=candidate outside an m= section");
                    default -> {
                        // other session attributes do not concern trickle ICE
                    }
                }
            } else {
                switch (name) {
                    case "mid" -> current.mid = AttributeParsers.mid(attrValue, line);
                    case "ice-ufrag" -> current.ufrag = AttributeParsers.iceUfrag(attrValue, line);
                    case "ice-pwd" -> current.pwd = AttributeParsers.icePwd(attrValue, line);
                    case "candidate" -> current.candidates.add(AttributeParsers.candidate(attrValue, line));
                    case "end-of-candidates" -> current.end = true;
                    default -> {
                        // other media attributes do not concern trickle ICE
                    }
                }
            }
        }
        if (current != null) {
            sections.add(current.build());
        }
        return new TrickleFragment(ufrag, pwd, options, lite, bundle, sessionEnd, sections);
    }

    private static final class SectionBuilder {
        final String mediaLine;
        String mid;
        String ufrag;
        String pwd;
        final List<Candidate> candidates = new ArrayList<>();
        boolean end;

        SectionBuilder(String mediaLine) {
            this.mediaLine = mediaLine;
        }

        TrickleFragment.Section build() {
            return new TrickleFragment.Section(mediaLine, mid, ufrag, pwd, candidates, end);
        }
    }
}
