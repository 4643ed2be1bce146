package org.sluice.core.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Parsers for the attribute values the model understands. Each takes the text after {@code a=<name>:} and the line
 * number for messages, and either returns the typed value or throws {@link SdpParseException}; nothing else.
 */
final class AttributeParsers {

    private static final long MAX_U32 = 0xFFFF_FFFFL;
    private static final int MAX_ID = 256;

    private AttributeParsers() {
    }

    static String requireValue(String name, String value, int line) throws SdpParseException {
        if (value == null || value.isEmpty()) {
            throw new SdpParseException(line, "a=" + name + " needs a value");
        }
        return value;
    }

    static void requireNoValue(String name, String value, int line) throws SdpParseException {
        if (value != null) {
            throw new SdpParseException(line, "a=" + name + " takes no value");
        }
    }

    static String mid(String value, int line) throws SdpParseException {
        requireValue("mid", value, line);
        if (!Tokens.isToken(value, 64)) {
            throw new SdpParseException(line, "a=mid must be 1 to 64 token characters");
        }
        return value;
    }

    static String iceUfrag(String value, int line) throws SdpParseException {
        if (!Tokens.isIceChars(value, 4, 256)) {
            throw new SdpParseException(line, "a=ice-ufrag must be 4 to 256 ice-chars");
        }
        return value;
    }

    static String icePwd(String value, int line) throws SdpParseException {
        if (!Tokens.isIceChars(value, 22, 256)) {
            throw new SdpParseException(line, "a=ice-pwd must be 22 to 256 ice-chars");
        }
        return value;
    }

    static List<String> iceOptions(String value, int line) throws SdpParseException {
        requireValue("ice-options", value, line);
        List<String> options = Tokens.splitSpaces(value, 32);
        for (String o : options) {
            if (!Tokens.isVisible(o, 64)) {
                throw new SdpParseException(line, "a=ice-options has a bad option");
            }
        }
        if (options.isEmpty()) {
            throw new SdpParseException(line, "a=ice-options needs at least one option");
        }
        return options;
    }

    static Fingerprint fingerprint(String value, int line) throws SdpParseException {
        requireValue("fingerprint", value, line);
        List<String> parts = Tokens.splitSpaces(value, 3);
        if (parts.size() != 2) {
            throw new SdpParseException(line, "a=fingerprint needs <hash-func> <fingerprint>");
        }
        String algorithm = parts.get(0);
        String fp = parts.get(1);
        if (!Tokens.isToken(algorithm, 32)) {
            throw new SdpParseException(line, "a=fingerprint has a bad hash function name");
        }
        if (fp.length() < 2 || fp.length() > 192 || (fp.length() + 1) % 3 != 0) {
            throw new SdpParseException(line, "a=fingerprint value must be hex byte pairs separated by ':'");
        }
        for (int i = 0; i < fp.length(); i++) {
            char c = fp.charAt(i);
            boolean ok = (i % 3 == 2) ? c == ':'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                throw new SdpParseException(line, "a=fingerprint value must be hex byte pairs separated by ':'");
            }
        }
        return new Fingerprint(algorithm, fp);
    }

    static Setup setup(String value, int line) throws SdpParseException {
        Setup s = Setup.fromToken(value);
        if (s == null) {
            throw new SdpParseException(line, "a=setup must be active, passive, actpass or holdconn");
        }
        return s;
    }

    static Group group(String value, int line) throws SdpParseException {
        requireValue("group", value, line);
        List<String> parts = Tokens.splitSpaces(value, 257);
        if (parts.isEmpty() || parts.size() > 256 || !Tokens.isToken(parts.get(0), 32)) {
            throw new SdpParseException(line, "a=group needs <semantics> followed by at most 255 mids");
        }
        for (int i = 1; i < parts.size(); i++) {
            if (!Tokens.isToken(parts.get(i), 64)) {
                throw new SdpParseException(line, "a=group has a bad mid");
            }
        }
        return new Group(parts.get(0), parts.subList(1, parts.size()));
    }

    static Extmap extmap(String value, int line) throws SdpParseException {
        requireValue("extmap", value, line);
        List<String> parts = Tokens.splitSpaces(value, 2);
        if (parts.size() < 2) {
            throw new SdpParseException(line, "a=extmap needs <id>[/<direction>] <uri>");
        }
        String idPart = parts.get(0);
        int slash = idPart.indexOf('/');
        long id = Tokens.parseUnsigned(idPart, 0, slash < 0 ? idPart.length() : slash, 4351);
        if (id < 1 || (id > 255 && id < 4096)) {
            throw new SdpParseException(line, "a=extmap id must be 1-255 (or 4096-4351 in an offer)");
        }
        Direction direction = null;
        if (slash >= 0) {
            direction = Direction.fromToken(idPart.substring(slash + 1));
            if (direction == null) {
                throw new SdpParseException(line, "a=extmap has a bad direction");
            }
        }
        String uri = parts.get(1);
        if (!Tokens.isVisible(uri, 512)) {
            throw new SdpParseException(line, "a=extmap has a bad URI");
        }
        int uriStart = value.indexOf(uri, idPart.length());
        String rest = value.substring(uriStart + uri.length()).trim();
        return new Extmap((int) id, direction, uri, rest.isEmpty() ? null : rest);
    }

    static RtpMap rtpmap(String value, int line) throws SdpParseException {
        requireValue("rtpmap", value, line);
        List<String> parts = Tokens.splitSpaces(value, 3);
        if (parts.size() != 2) {
            throw new SdpParseException(line, "a=rtpmap needs <payload type> <encoding>/<clock rate>");
        }
        long pt = Tokens.parseUnsigned(parts.get(0), 127);
        if (pt < 0) {
            throw new SdpParseException(line, "a=rtpmap payload type must be 0-127");
        }
        String enc = parts.get(1);
        int s1 = enc.indexOf('/');
        if (s1 <= 0) {
            throw new SdpParseException(line, "a=rtpmap needs <encoding>/<clock rate>");
        }
        int s2 = enc.indexOf('/', s1 + 1);
        String name = enc.substring(0, s1);
        if (!Tokens.isToken(name, 64)) {
            throw new SdpParseException(line, "a=rtpmap has a bad encoding name");
        }
        long clock = Tokens.parseUnsigned(enc, s1 + 1, s2 < 0 ? enc.length() : s2, Integer.MAX_VALUE);
        if (clock <= 0) {
            throw new SdpParseException(line, "a=rtpmap clock rate must be a positive number");
        }
        String params = null;
        if (s2 >= 0) {
            params = enc.substring(s2 + 1);
            if (!Tokens.isToken(params, 32)) {
                throw new SdpParseException(line, "a=rtpmap has bad encoding parameters");
            }
        }
        return new RtpMap((int) pt, name, (int) clock, params);
    }

    static Fmtp fmtp(String value, int line) throws SdpParseException {
        requireValue("fmtp", value, line);
        int sp = value.indexOf(' ');
        if (sp <= 0) {
            throw new SdpParseException(line, "a=fmtp needs <format> <parameters>");
        }
        String format = value.substring(0, sp);
        if (!Tokens.isToken(format, 32)) {
            throw new SdpParseException(line, "a=fmtp has a bad format");
        }
        String params = value.substring(sp + 1).trim();
        if (params.isEmpty()) {
            throw new SdpParseException(line, "a=fmtp has no parameters");
        }
        return new Fmtp(format, params);
    }

    static RtcpFb rtcpFb(String value, int line) throws SdpParseException {
        requireValue("rtcp-fb", value, line);
        List<String> parts = Tokens.splitSpaces(value, 4);
        if (parts.size() < 2 || parts.size() > 3) {
            throw new SdpParseException(line, "a=rtcp-fb needs <format> <type> [<subtype>]");
        }
        String format = parts.get(0);
        if (!format.equals("*") && Tokens.parseUnsigned(format, 127) < 0) {
            throw new SdpParseException(line, "a=rtcp-fb format must be * or a payload type 0-127");
        }
        if (!Tokens.isToken(parts.get(1), 64) || (parts.size() == 3 && !Tokens.isVisible(parts.get(2), 64))) {
            throw new SdpParseException(line, "a=rtcp-fb has a bad feedback type");
        }
        return new RtcpFb(format, parts.get(1), parts.size() == 3 ? parts.get(2) : null);
    }

    static SsrcAttribute ssrc(String value, int line) throws SdpParseException {
        requireValue("ssrc", value, line);
        int sp = value.indexOf(' ');
        if (sp <= 0) {
            throw new SdpParseException(line, "a=ssrc needs <ssrc> <attribute>[:<value>]");
        }
        long ssrc = Tokens.parseUnsigned(value, 0, sp, MAX_U32);
        if (ssrc < 0) {
            throw new SdpParseException(line, "a=ssrc id must be a 32-bit unsigned number");
        }
        String rest = value.substring(sp + 1);
        int colon = rest.indexOf(':');
        String attr = colon < 0 ? rest : rest.substring(0, colon);
        if (!Tokens.isToken(attr, 64)) {
            throw new SdpParseException(line, "a=ssrc has a bad attribute name");
        }
        return new SsrcAttribute(ssrc, attr, colon < 0 ? null : rest.substring(colon + 1));
    }

    static SsrcGroup ssrcGroup(String value, int line) throws SdpParseException {
        requireValue("ssrc-group", value, line);
        List<String> parts = Tokens.splitSpaces(value, 34);
        if (parts.size() < 2 || parts.size() > 33 || !Tokens.isToken(parts.get(0), 32)) {
            throw new SdpParseException(line, "a=ssrc-group needs <semantics> and 1 to 32 ssrcs");
        }
        List<Long> ssrcs = new ArrayList<>(parts.size() - 1);
        for (int i = 1; i < parts.size(); i++) {
            long s = Tokens.parseUnsigned(parts.get(i), MAX_U32);
            if (s < 0) {
                throw new SdpParseException(line, "a=ssrc-group has a bad ssrc");
            }
            ssrcs.add(s);
        }
        return new SsrcGroup(parts.get(0), ssrcs);
    }

    static Msid msid(String value, int line) throws SdpParseException {
        requireValue("msid", value, line);
        List<String> parts = Tokens.splitSpaces(value, 3);
        if (parts.isEmpty() || parts.size() > 2 || !Tokens.isVisible(parts.get(0), MAX_ID)
                || (parts.size() == 2 && !Tokens.isVisible(parts.get(1), MAX_ID))) {
            throw new SdpParseException(line, "a=msid needs <stream id> [<track id>]");
        }
        return new Msid(parts.get(0), parts.size() == 2 ? parts.get(1) : null);
    }

    static boolean isRidId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static Rid rid(String value, int line) throws SdpParseException {
        requireValue("rid", value, line);
        List<String> parts = Tokens.splitSpaces(value, 2);
        if (parts.size() < 2 || !isRidId(parts.get(0))) {
            throw new SdpParseException(line, "a=rid needs <rid-id> <send|recv> [<restrictions>]");
        }
        String dirAndRest = value.substring(value.indexOf(parts.get(1), parts.get(0).length()));
        int sp = dirAndRest.indexOf(' ');
        String dir = sp < 0 ? dirAndRest : dirAndRest.substring(0, sp);
        Rid.RidDirection direction;
        if (dir.equals("send")) {
            direction = Rid.RidDirection.SEND;
        } else if (dir.equals("recv")) {
            direction = Rid.RidDirection.RECV;
        } else {
            throw new SdpParseException(line, "a=rid direction must be send or recv");
        }
        String restrictions = sp < 0 ? null : dirAndRest.substring(sp + 1).trim();
        if (restrictions != null && restrictions.isEmpty()) {
            restrictions = null;
        }
        if (restrictions != null && !Tokens.isVisible(restrictions, 1024)) {
            throw new SdpParseException(line, "a=rid restrictions must be visible characters without spaces");
        }
        return new Rid(parts.get(0), direction, restrictions);
    }

    static Simulcast simulcast(String value, int line) throws SdpParseException {
        requireValue("simulcast", value, line);
        List<String> parts = Tokens.splitSpaces(value.trim(), 5);
        if (parts.size() != 2 && parts.size() != 4) {
            throw new SdpParseException(line, "a=simulcast needs send <list> and/or recv <list>");
        }
        List<List<Simulcast.Layer>> send = List.of();
        List<List<Simulcast.Layer>> recv = List.of();
        boolean haveSend = false;
        boolean haveRecv = false;
        for (int i = 0; i < parts.size(); i += 2) {
            String dir = parts.get(i);
            List<List<Simulcast.Layer>> streams = simulcastStreams(parts.get(i + 1), line);
            if (dir.equals("send") && !haveSend) {
                send = streams;
                haveSend = true;
            } else if (dir.equals("recv") && !haveRecv) {
                recv = streams;
                haveRecv = true;
            } else {
                throw new SdpParseException(line, "a=simulcast direction must be send or recv, each at most once");
            }
        }
        return new Simulcast(send, recv);
    }

    private static List<List<Simulcast.Layer>> simulcastStreams(String list, int line) throws SdpParseException {
        String[] streams = list.split(";", 65);
        if (streams.length > 64) {
            throw new SdpParseException(line, "a=simulcast has too many streams");
        }
        List<List<Simulcast.Layer>> out = new ArrayList<>(streams.length);
        for (String stream : streams) {
            String[] alternatives = stream.split(",", 17);
            if (alternatives.length > 16) {
                throw new SdpParseException(line, "a=simulcast has too many alternatives");
            }
            List<Simulcast.Layer> layers = new ArrayList<>(alternatives.length);
            for (String alt : alternatives) {
                boolean paused = alt.startsWith("~");
                String rid = paused ? alt.substring(1) : alt;
                if (!isRidId(rid)) {
                    throw new SdpParseException(line, "a=simulcast has a bad rid '" + Tokens.excerpt(alt) + "'");
                }
                layers.add(new Simulcast.Layer(rid, paused));
            }
            out.add(layers);
        }
        return out;
    }

    static Candidate candidate(String value, int line) throws SdpParseException {
        requireValue("candidate", value, line);
        List<String> t = Tokens.splitSpaces(value, 65);
        if (t.size() > 64) {
            throw new SdpParseException(line, "a=candidate has too many fields");
        }
        if (t.size() < 8 || !t.get(6).equals("typ")) {
            throw new SdpParseException(line,
                    "a=candidate needs <foundation> <component> <transport> <priority> <address> <port> typ <type>");
        }
        if (!Tokens.isVisible(t.get(0), 32)) {
            throw new SdpParseException(line, "a=candidate has a bad foundation");
        }
        long component = Tokens.parseUnsigned(t.get(1), 256);
        if (component < 1) {
            throw new SdpParseException(line, "a=candidate component must be 1-256");
        }
        if (!Tokens.isToken(t.get(2), 32)) {
            throw new SdpParseException(line, "a=candidate has a bad transport");
        }
        long priority = Tokens.parseUnsigned(t.get(3), MAX_U32);
        if (priority < 0) {
            throw new SdpParseException(line, "a=candidate priority must be a 32-bit unsigned number");
        }
        if (!Tokens.isVisible(t.get(4), 256)) {
            throw new SdpParseException(line, "a=candidate has a bad address");
        }
        long port = Tokens.parseUnsigned(t.get(5), 65535);
        if (port < 0) {
            throw new SdpParseException(line, "a=candidate port must be 0-65535");
        }
        if (!Tokens.isToken(t.get(7), 32)) {
            throw new SdpParseException(line, "a=candidate has a bad type");
        }
        String relAddr = null;
        long relPort = -1;
        int i = 8;
        if (i + 1 < t.size() && t.get(i).equals("raddr")) {
            relAddr = t.get(i + 1);
            if (!Tokens.isVisible(relAddr, 256)) {
                throw new SdpParseException(line, "a=candidate has a bad raddr");
            }
            i += 2;
        }
        if (i + 1 < t.size() && t.get(i).equals("rport")) {
            relPort = Tokens.parseUnsigned(t.get(i + 1), 65535);
            if (relPort < 0) {
                throw new SdpParseException(line, "a=candidate rport must be 0-65535");
            }
            i += 2;
        }
        if ((t.size() - i) % 2 != 0) {
            throw new SdpParseException(line, "a=candidate extensions must be name/value pairs");
        }
        List<String> extensions = t.subList(i, t.size());
        for (String e : extensions) {
            if (!Tokens.isVisible(e, 256)) {
                throw new SdpParseException(line, "a=candidate has a bad extension");
            }
        }
        return new Candidate(t.get(0), (int) component, t.get(2), priority, t.get(4), (int) port, t.get(7), relAddr,
                (int) relPort, extensions);
    }

    /** Parses a candidate string with or without the {@code candidate:} / {@code a=candidate:} prefix. */
    static Candidate candidateLine(String text, int line) throws SdpParseException {
        String v = text;
        if (v.startsWith("a=")) {
            v = v.substring(2);
        }
        if (v.startsWith("candidate:")) {
            v = v.substring("candidate:".length());
        }
        return candidate(v, line);
    }
}
