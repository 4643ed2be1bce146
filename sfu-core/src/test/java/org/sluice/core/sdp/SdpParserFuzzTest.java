package org.sluice.core.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sluice.core.sdp.negotiation.AnswerPolicy;
import org.sluice.core.sdp.negotiation.LocalCapabilities;
import org.sluice.core.sdp.negotiation.OutboundTrack;
import org.sluice.core.sdp.negotiation.SdpNegotiator;
import org.sluice.core.session.OfferRejectedException;

/**
 * Hostile-input property test: mutated browser offers, truncations and random lines. The parser must either
 * return a model (every 8th is checked to survive a write and re-parse unchanged), or throw {@link SdpParseException} from a real
 * check (never the safety net); the negotiator must only throw {@link OfferRejectedException}.
 */
class SdpParserFuzzTest {

    private static final String[] ATTRIBUTES = {"group", "ice-lite", "ice-ufrag", "ice-pwd", "ice-options",
        "fingerprint", "setup", "msid-semantic", "extmap-allow-mixed", "extmap", "mid", "sendrecv", "sendonly",
        "recvonly", "inactive", "rtcp", "rtcp-mux", "rtcp-rsize", "candidate", "end-of-candidates", "rtpmap", "fmtp",
        "rtcp-fb", "ssrc", "ssrc-group", "msid", "rid", "simulcast", "sctp-port", "bundle-only", "x-unknown"};
    private static final String ALPHABET = "0123456789abcdefghqrsxyzABCDEFXYZ :/;,~=*-_.+{}#\t\r\n\u0000\u00e9\u4e2d";
    private static final String HEAD = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    private final List<String> fixtures = Fixtures.ALL.stream().map(Fixtures::load).toList();
    private final SdpNegotiator negotiator = new SdpNegotiator(LocalCapabilities.builder("fuzzUfrag",
            "fuzzPasswordOf22Chars0", new Fingerprint("sha-256", "AA:BB")).build());
    private int parsed;
    private int rejected;

    @Test
    void mutatedTruncatedAndRandomInputOnlyYieldsParseExceptions() {
        SplittableRandom random = new SplittableRandom(0x5D9_2026L);
        for (int i = 0; i < 50_000; i++) {
            check(mutate(fixtures.get(random.nextInt(fixtures.size())), random), i % 50 == 0);
        }
        for (int i = 0; i < 30_000; i++) {
            String f = fixtures.get(random.nextInt(fixtures.size()));
            check(f.substring(0, random.nextInt(f.length() + 1)), i % 100 == 0);
        }
        for (int i = 0; i < 30_000; i++) {
            check(randomLines(random), i % 50 == 0);
        }
        assertThat(parsed + rejected).isEqualTo(110_000);
        // the mix must exercise both outcomes substantially
        assertThat(parsed).isGreaterThan(5_000);
        assertThat(rejected).isGreaterThan(5_000);
    }

    @Test
    void trickleFragmentsAndCandidatesOnlyYieldParseExceptions() {
        SplittableRandom random = new SplittableRandom(8840);
        String fragment = "a=ice-ufrag:EsAw\r\na=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y\r\na=group:BUNDLE 0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
                + "a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0 ufrag EsAw\r\n"
                + "a=candidate:1 1 udp 1677729535 203.0.113.7 55119 typ srflx raddr 192.168.1.3 rport 50181\r\n"
                + "a=end-of-candidates\r\n";
        for (int i = 0; i < 20_000; i++) {
            String text = mutate(fragment, random);
            try {
                TrickleFragment f = TrickleFragmentParser.parse(text);
                assertThat(TrickleFragmentParser.parse(f.write())).isEqualTo(f);
            } catch (SdpParseException e) {
                assertThat(e.getMessage()).doesNotContain("internal parser failure");
            }
            String candidate = text.length() > 200 ? text.substring(random.nextInt(200)) : text;
            try {
                Candidate c = Candidate.parse(candidate.lines().findFirst().orElse(""));
                assertThat(Candidate.parse(c.value())).isEqualTo(c);
            } catch (SdpParseException e) {
                assertThat(e.getMessage()).doesNotContain("internal parser failure");
            }
        }
    }

    private void check(String text, boolean negotiate) {
        SessionDescription sdp;
        try {
            sdp = SdpParser.parse(text);
        } catch (SdpParseException e) {
            rejected++;
            assertThat(e.getMessage()).doesNotContain("internal parser failure");
            return;
        } catch (RuntimeException e) {
            fail("parser threw " + e + " for:\n" + text, e);
            return;
        }
        parsed++;
        if (parsed % 8 != 0 && !negotiate) {
            return;
        }
        String written = SdpWriter.write(sdp);
        try {
            SessionDescription again = SdpParser.parse(written);
            assertThat(SdpParserTest.normalized(again)).isEqualTo(SdpParserTest.normalized(sdp));
        } catch (SdpParseException e) {
            fail("written SDP does not parse: " + e.getMessage() + "\n" + written + "\nfrom:\n" + text);
        }
        if (negotiate) {
            try {
                negotiator.negotiate(sdp, AnswerPolicy.sending(List.of(
                        new OutboundTrack("video", "s", "v", 1, 2, "c"),
                        new OutboundTrack("audio", "s", "a", 3, -1, "c")), org.sluice.core.sdp.Direction.SENDRECV))
                        .answerSdp();
            } catch (OfferRejectedException e) {
                assertThat(e.reason()).isNotNull();
            } catch (RuntimeException e) {
                fail("negotiator threw " + e + " for:\n" + text, e);
            }
        }
    }

    private static String mutate(String text, SplittableRandom random) {
        StringBuilder sb = new StringBuilder(text);
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && sb.length() > 0; m++) {
            int pos = random.nextInt(sb.length());
            switch (random.nextInt(7)) {
                case 0 -> sb.delete(pos, Math.min(sb.length(), pos + 1 + random.nextInt(20)));
                case 1 -> sb.insert(pos, randomChars(random, 1 + random.nextInt(8)));
                case 2 -> sb.setCharAt(pos, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 3 -> sb.insert(pos, random.nextBoolean() ? "99999999999" : "-1");
                case 4 -> {
                    List<String> lines = new ArrayList<>(Arrays.asList(sb.toString().split("\r\n", -1)));
                    int a = random.nextInt(lines.size());
                    lines.add(random.nextInt(lines.size()), lines.get(a));
                    sb.setLength(0);
                    sb.append(String.join("\r\n", lines));
                }
                case 5 -> {
                    List<String> lines = new ArrayList<>(Arrays.asList(sb.toString().split("\r\n", -1)));
                    lines.remove(random.nextInt(lines.size()));
                    sb.setLength(0);
                    sb.append(String.join("\r\n", lines));
                }
                default -> sb.setLength(pos);
            }
        }
        return sb.toString();
    }

    private static String randomLines(SplittableRandom random) {
        StringBuilder sb = new StringBuilder(HEAD);
        int lines = random.nextInt(30);
        for (int i = 0; i < lines; i++) {
            switch (random.nextInt(5)) {
                case 0 -> sb.append("m=").append(random.nextBoolean() ? "video" : "audio").append(' ')
                        .append(random.nextInt(70000)).append(" UDP/TLS/RTP/SAVPF ").append(random.nextInt(130));
                case 1 -> sb.append((char) ('a' + random.nextInt(26))).append('=').append(randomChars(random, 12));
                default -> {
                    sb.append("a=").append(ATTRIBUTES[random.nextInt(ATTRIBUTES.length)]);
                    if (random.nextInt(4) > 0) {
                        sb.append(':').append(randomTokens(random));
                    }
                }
            }
            sb.append(random.nextInt(10) == 0 ? "\n" : "\r\n");
        }
        return sb.toString();
    }

    private static String randomTokens(SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(10);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            switch (random.nextInt(6)) {
                case 0 -> sb.append(random.nextInt(300));
                case 1 -> sb.append(random.nextLong(0, 1L << 34));
                case 2 -> sb.append("send");
                case 3 -> sb.append("typ");
                case 4 -> sb.append("q;~h,f");
                default -> sb.append(randomChars(random, 1 + random.nextInt(6)).replace("\r", "").replace("\n", ""));
            }
        }
        return sb.toString();
    }

    private static String randomChars(SplittableRandom random, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
