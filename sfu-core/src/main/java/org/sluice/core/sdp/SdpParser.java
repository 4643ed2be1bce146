package org.sluice.core.sdp;

import java.util.List;

/**
 * Reads SDP text (RFC 8866) into a {@link SessionDescription}. Input is treated as hostile: its size, line count,
 * line length, m-section count and attribute count are bounded by {@link SdpLimits}, every field is checked, and
 * the only exception that leaves is {@link SdpParseException}, naming the line and the problem. Lines may end in
 * CRLF or LF; blank lines are skipped. Attributes the model has no field for are kept verbatim.
 */
public final class SdpParser {

    private static final String SESSION_TYPES = "iuepcbtrzka";
    private static final String MEDIA_TYPES = "icbka";

    private final SdpLimits limits;

    /** A parser with {@link SdpLimits#DEFAULT}. */
    public SdpParser() {
        this(SdpLimits.DEFAULT);
    }

    public SdpParser(SdpLimits limits) {
        this.limits = limits;
    }

    /** Parses with {@link SdpLimits#DEFAULT}. */
    public static SessionDescription parse(String sdp) throws SdpParseException {
        return new SdpParser().read(sdp);
    }

    /** Parses {@code sdp} within this parser's limits. */
    public SessionDescription read(String sdp) throws SdpParseException {
        if (sdp == null || sdp.isEmpty()) {
            throw new SdpParseException(0, "empty SDP");
        }
        if (sdp.length() > limits.maxChars()) {
            throw new SdpParseException(0, "SDP longer than " + limits.maxChars() + " characters");
        }
        try {
            return new Reading(sdp, limits).run();
        } catch (RuntimeException e) {
            // A safety net, not a code path: the fuzz test asserts this message never appears.
            throw new SdpParseException(0, "internal parser failure " + e.getClass().getSimpleName());
        }
    }

    /** Splits text into numbered lines within limits; shared by the SDP and trickle fragment parsers. */
    static final class LineReader {
        private final String text;
        private final SdpLimits limits;
        private int pos;
        private int lineNumber;
        private char type;
        private String value;

        LineReader(String text, SdpLimits limits) {
            this.text = text;
            this.limits = limits;
        }

        /** Advances to the next non-blank line; false at the end. */
        boolean next() throws SdpParseException {
            while (pos < text.length()) {
                int end = text.indexOf('\n', pos);
                int lineEnd = end < 0 ? text.length() : end;
                int contentEnd = lineEnd > pos && text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
                lineNumber++;
                if (lineNumber > limits.maxLines()) {
                    throw new SdpParseException(lineNumber, "more than " + limits.maxLines() + " lines");
                }
                int start = pos;
                pos = end < 0 ? text.length() : end + 1;
                if (contentEnd == start) {
                    continue;
                }
                if (contentEnd - start > limits.maxLineLength()) {
                    throw new SdpParseException(lineNumber, "line longer than " + limits.maxLineLength());
                }
                for (int i = start; i < contentEnd; i++) {
                    char c = text.charAt(i);
                    if (c < 0x20 && c != '\t') {
                        throw new SdpParseException(lineNumber, "control character in line");
                    }
                }
                if (contentEnd - start < 2 || text.charAt(start + 1) != '=') {
                    throw new SdpParseException(lineNumber,
                            "expected <type>=<value>, got '" + Tokens.excerpt(text.substring(start, contentEnd)) + "'");
                }
                type = text.charAt(start);
                if (type < 'a' || type > 'z') {
                    throw new SdpParseException(lineNumber, "line type must be a lower-case letter");
                }
                value = text.substring(start + 2, contentEnd);
                return true;
            }
            return false;
        }

        int lineNumber() {
            return lineNumber;
        }

        char type() {
            return type;
        }

        String value() {
            return value;
        }
    }

    /** The state of one parse. */
    private static final class Reading {
        private final LineReader lines;
        private final SdpLimits limits;
        private int attributeCount;

        Reading(String text, SdpLimits limits) {
            this.lines = new LineReader(text, limits);
            this.limits = limits;
        }

        SessionDescription run() throws SdpParseException {
            expect('v');
            if (!lines.value().equals("0")) {
                throw new SdpParseException(lines.lineNumber(), "v= must be 0");
            }
            expect('o');
            Origin origin = origin(lines.value(), lines.lineNumber());
            expect('s');
            SessionDescription.Builder session = new SessionDescription.Builder(origin);
            session.sessionName = lines.value();
            boolean haveTiming = false;
            boolean more = lines.next();
            char previous = 's';
            while (more && lines.type() != 'm') {
                char t = lines.type();
                int line = lines.lineNumber();
                if (SESSION_TYPES.indexOf(t) < 0) {
                    throw new SdpParseException(line, "unexpected " + t + "= line at session level");
                }
                checkOrder(SESSION_TYPES, previous, t, line);
                previous = t;
                if (t == 'a') {
                    countAttribute(line);
                    sessionAttribute(session, lines.value(), line);
                } else if (t == 'c') {
                    if (session.connection != null) {
                        throw new SdpParseException(line, "second c= line at session level");
                    }
                    session.connection = connection(lines.value(), line);
                } else {
                    if (t == 't') {
                        haveTiming = true;
                    }
                    session.otherLines.add(new SdpLine(t, lines.value()));
                }
                more = lines.next();
            }
            if (!haveTiming) {
                throw new SdpParseException(lines.lineNumber(), "no t= line before the first m= line");
            }
            while (more) {
                if (session.media.size() >= limits.maxMediaSections()) {
                    throw new SdpParseException(lines.lineNumber(),
                            "more than " + limits.maxMediaSections() + " m= sections");
                }
                MediaDescription.Builder media = mediaLine(lines.value(), lines.lineNumber());
                attributeCount = 0;
                more = lines.next();
                char previousInMedia = 0;
                while (more && lines.type() != 'm') {
                    char t = lines.type();
                    int line = lines.lineNumber();
                    if (MEDIA_TYPES.indexOf(t) < 0) {
                        throw new SdpParseException(line, "unexpected " + t + "= line in an m= section");
                    }
                    checkOrder(MEDIA_TYPES, previousInMedia, t, line);
                    previousInMedia = t;
                    if (t == 'a') {
                        countAttribute(line);
                        mediaAttribute(media, lines.value(), line);
                    } else if (t == 'c') {
                        if (media.connection != null) {
                            throw new SdpParseException(line, "second c= line in an m= section");
                        }
                        media.connection = connection(lines.value(), line);
                    } else {
                        media.otherLines.add(new SdpLine(t, lines.value()));
                    }
                    more = lines.next();
                }
                session.media.add(media.build());
            }
            return session.build();
        }

        /** RFC 8866 section 5 line order; a t= may follow an r= (the next time description). */
        private static void checkOrder(String order, char previous, char current, int line) throws SdpParseException {
            int before = order.indexOf(previous);
            if (before > order.indexOf(current) && !(previous == 'r' && current == 't')) {
                throw new SdpParseException(line, current + "= line after " + previous + "= line is out of order");
            }
        }

        private void expect(char type) throws SdpParseException {
            if (!lines.next()) {
                throw new SdpParseException(lines.lineNumber(), "missing " + type + "= line");
            }
            if (lines.type() != type) {
                throw new SdpParseException(lines.lineNumber(), "expected " + type + "= line, got " + lines.type() + "=");
            }
        }

        private void countAttribute(int line) throws SdpParseException {
            if (++attributeCount > limits.maxAttributesPerSection()) {
                throw new SdpParseException(line, "more than " + limits.maxAttributesPerSection()
                        + " attributes in one section");
            }
        }

        private static Origin origin(String value, int line) throws SdpParseException {
            List<String> p = Tokens.splitSpaces(value, 7);
            if (p.size() != 6) {
                throw new SdpParseException(line,
                        "o= needs <username> <sess-id> <sess-version> <nettype> <addrtype> <address>");
            }
            for (String s : p) {
                if (!Tokens.isVisible(s, 256)) {
                    throw new SdpParseException(line, "o= has a bad field");
                }
            }
            if (!isDigits(p.get(1)) || !isDigits(p.get(2))) {
                throw new SdpParseException(line, "o= session id and version must be numbers");
            }
            return new Origin(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4), p.get(5));
        }

        private static boolean isDigits(String s) {
            if (s.isEmpty() || s.length() > 20) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                    return false;
                }
            }
            return true;
        }

        private static Connection connection(String value, int line) throws SdpParseException {
            List<String> p = Tokens.splitSpaces(value, 4);
            if (p.size() != 3 || !Tokens.isToken(p.get(0), 16) || !Tokens.isToken(p.get(1), 16)
                    || !Tokens.isVisible(p.get(2), 256)) {
                throw new SdpParseException(line, "c= needs <nettype> <addrtype> <connection-address>");
            }
            return new Connection(p.get(0), p.get(1), p.get(2));
        }

        private static MediaDescription.Builder mediaLine(String value, int line) throws SdpParseException {
            List<String> p = Tokens.splitSpaces(value, 1024);
            if (p.size() < 4) {
                throw new SdpParseException(line, "m= needs <media> <port> <proto> <fmt> ...");
            }
            if (p.size() >= 1024) {
                throw new SdpParseException(line, "m= has too many formats");
            }
            if (!Tokens.isToken(p.get(0), 32)) {
                throw new SdpParseException(line, "m= has a bad media type");
            }
            String portField = p.get(1);
            int slash = portField.indexOf('/');
            long port = Tokens.parseUnsigned(portField, 0, slash < 0 ? portField.length() : slash, 65535);
            if (port < 0) {
                throw new SdpParseException(line, "m= port must be 0-65535");
            }
            long portCount = 0;
            if (slash >= 0) {
                portCount = Tokens.parseUnsigned(portField, slash + 1, portField.length(), 65535);
                if (portCount < 1) {
                    throw new SdpParseException(line, "m= port count must be a positive number");
                }
            }
            if (!Tokens.isVisible(p.get(2), 64)) {
                throw new SdpParseException(line, "m= has a bad proto");
            }
            MediaDescription.Builder media = MediaDescription.builder(p.get(0), (int) port, p.get(2));
            media.portCount = (int) portCount;
            for (int i = 3; i < p.size(); i++) {
                if (!Tokens.isToken(p.get(i), 64)) {
                    throw new SdpParseException(line, "m= has a bad format");
                }
                media.formats.add(p.get(i));
            }
            return media;
        }

        private static String[] nameValue(String attr, int line) throws SdpParseException {
            int colon = attr.indexOf(':');
            String name = colon < 0 ? attr : attr.substring(0, colon);
            if (!Tokens.isToken(name, 64)) {
                throw new SdpParseException(line, "bad attribute name '" + Tokens.excerpt(name) + "'");
            }
            return new String[] {name, colon < 0 ? null : attr.substring(colon + 1)};
        }

        private static void sessionAttribute(SessionDescription.Builder s, String attr, int line)
                throws SdpParseException {
            String[] nv = nameValue(attr, line);
            String name = nv[0];
            String value = nv[1];
            switch (name) {
                case "group" -> s.groups.add(AttributeParsers.group(value, line));
                case "ice-lite" -> {
                    AttributeParsers.requireNoValue(name, value, line);
                    s.iceLite = true;
                }
                case "ice-ufrag" -> {
                    once(s.iceUfrag, name, line);
                    s.iceUfrag = AttributeParsers.iceUfrag(value, line);
                }
                case "ice-pwd" -> {
                    once(s.icePwd, name, line);
                    s.icePwd = AttributeParsers.icePwd(value, line);
                }
                case "ice-options" -> s.iceOptions.addAll(AttributeParsers.iceOptions(value, line));
                case "fingerprint" -> s.fingerprints.add(AttributeParsers.fingerprint(value, line));
                case "setup" -> {
                    once(s.setup, name, line);
                    s.setup = AttributeParsers.setup(value, line);
                }
                case "msid-semantic" -> {
                    once(s.msidSemantic, name, line);
                    s.msidSemantic = AttributeParsers.requireValue(name, value, line);
                }
                case "extmap-allow-mixed" -> {
                    AttributeParsers.requireNoValue(name, value, line);
                    s.extmapAllowMixed = true;
                }
                case "extmap" -> s.extmaps.add(AttributeParsers.extmap(value, line));
                default -> s.otherAttributes.add(new Attribute(name, value));
            }
        }

        private static void once(Object existing, String name, int line) throws SdpParseException {
            if (existing != null) {
                throw new SdpParseException(line, "a=" + name + " appears twice");
            }
        }

        private static void mediaAttribute(MediaDescription.Builder m, String attr, int line)
                throws SdpParseException {
            String[] nv = nameValue(attr, line);
            String name = nv[0];
            String value = nv[1];
            Direction direction = Direction.fromToken(name);
            if (direction != null) {
                AttributeParsers.requireNoValue(name, value, line);
                once(m.direction, "sendrecv/sendonly/recvonly/inactive", line);
                m.direction = direction;
                return;
            }
            switch (name) {
                case "mid" -> {
                    once(m.mid, name, line);
                    m.mid = AttributeParsers.mid(value, line);
                }
                case "rtcp" -> {
                    once(m.rtcp, name, line);
                    m.rtcp = AttributeParsers.requireValue(name, value, line);
                }
                case "rtcp-mux" -> {
                    AttributeParsers.requireNoValue(name, value, line);
                    m.rtcpMux = true;
                }
                case "rtcp-rsize" -> {
                    AttributeParsers.requireNoValue(name, value, line);
                    m.rtcpRsize = true;
                }
                case "ice-ufrag" -> {
                    once(m.iceUfrag, name, line);
                    m.iceUfrag = AttributeParsers.iceUfrag(value, line);
                }
                case "ice-pwd" -> {
                    once(m.icePwd, name, line);
                    m.icePwd = AttributeParsers.icePwd(value, line);
                }
                case "ice-options" -> m.iceOptions.addAll(AttributeParsers.iceOptions(value, line));
                case "fingerprint" -> m.fingerprints.add(AttributeParsers.fingerprint(value, line));
                case "setup" -> {
                    once(m.setup, name, line);
                    m.setup = AttributeParsers.setup(value, line);
                }
                case "candidate" -> m.candidates.add(AttributeParsers.candidate(value, line));
                case "end-of-candidates" -> {
                    AttributeParsers.requireNoValue(name, value, line);
                    m.endOfCandidates = true;
                }
                case "extmap" -> m.extmaps.add(AttributeParsers.extmap(value, line));
                case "rtpmap" -> {
                    RtpMap map = AttributeParsers.rtpmap(value, line);
                    for (RtpMap existing : m.rtpMaps) {
                        if (existing.payloadType() == map.payloadType()) {
                            throw new SdpParseException(line, "second a=rtpmap for payload type " + map.payloadType());
                        }
                    }
                    m.rtpMaps.add(map);
                }
                case "fmtp" -> {
                    Fmtp fmtp = AttributeParsers.fmtp(value, line);
                    for (Fmtp existing : m.fmtps) {
                        if (existing.format().equals(fmtp.format())) {
                            throw new SdpParseException(line, "second a=fmtp for format " + fmtp.format());
                        }
                    }
                    m.fmtps.add(fmtp);
                }
                case "rtcp-fb" -> m.rtcpFbs.add(AttributeParsers.rtcpFb(value, line));
                case "ssrc" -> m.ssrcs.add(AttributeParsers.ssrc(value, line));
                case "ssrc-group" -> m.ssrcGroups.add(AttributeParsers.ssrcGroup(value, line));
                case "msid" -> m.msids.add(AttributeParsers.msid(value, line));
                case "rid" -> m.rids.add(AttributeParsers.rid(value, line));
                case "simulcast" -> {
                    once(m.simulcast, name, line);
                    m.simulcast = AttributeParsers.simulcast(value, line);
                }
                default -> m.otherAttributes.add(new Attribute(name, value));
            }
        }
    }
}
