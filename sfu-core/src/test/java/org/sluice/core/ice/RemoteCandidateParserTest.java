package org.sluice.core.ice;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class RemoteCandidateParserTest {

    private static RemoteCandidate accept(String line) {
        CandidateParseResult result = RemoteCandidateParser.parse(line);
        assertThat(result.isAccepted()).as(result.rejectReason()).isTrue();
        assertThat(result.rejectReason()).isNull();
        return result.candidate();
    }

    @Test
    void parsesChromeServerReflexiveCandidate() {
        RemoteCandidate c = accept("candidate:842163049 1 udp 1677729535 203.0.113.5 49203 typ srflx"
                + " raddr 10.0.0.5 rport 49203 generation 0 ufrag abcd network-cost 999");
        assertThat(c.foundation()).isEqualTo("842163049");
        assertThat(c.component()).isEqualTo(1);
        assertThat(c.transport()).isEqualTo(TransportKind.UDP);
        assertThat(c.priority()).isEqualTo(1677729535L);
        assertThat(c.address()).isEqualTo("203.0.113.5");
        assertThat(c.port()).isEqualTo(49203);
        assertThat(c.type()).isEqualTo(CandidateType.SERVER_REFLEXIVE);
        assertThat(c.relatedAddress()).isEqualTo("10.0.0.5");
        assertThat(c.relatedPort()).isEqualTo(49203);
        assertThat(c.tcpType()).isNull();
        assertThat(c.hasIpAddress()).isTrue();
    }

    @Test
    void parsesVariants() {
        RemoteCandidate upper = accept("a=candidate:1 1 UDP 2122260223 192.168.1.2 54321 typ host\r\n");
        assertThat(upper.transport()).isEqualTo(TransportKind.UDP);
        assertThat(upper.relatedPort()).isEqualTo(-1);
        RemoteCandidate tcp = accept("candidate:3 1 tcp 1518280447 192.168.1.2 9 typ host tcptype active generation 0");
        assertThat(tcp.tcpType()).isEqualTo(TcpType.ACTIVE);
        assertThat(tcp.port()).isEqualTo(9);
        RemoteCandidate mdns = accept("candidate:4 1 udp 2122260223 1f4712db-ea17-4bcf-a596-105139dfd8bf.local"
                + " 54321 typ host generation 0");
        assertThat(mdns.hasIpAddress()).isFalse();
        assertThat(accept("candidate:5 1 udp 2122262783 2001:db8::1 54322 typ host").address()).isEqualTo("2001:db8::1");
        assertThat(accept("candidate:6 1 udp 1 ::ffff:192.0.2.1 1 typ relay raddr 0.0.0.0 rport 0").type())
                .isEqualTo(CandidateType.RELAYED);
        assertThat(accept("candidate:a+/B 256 udp 4294967295 1:2:3:4:5:6:7:8 65535 typ prflx").component())
                .isEqualTo(256);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "x|not a candidate attribute",
        "candidate:1 1 udp 1 192.0.2.1 1 typ|too few fields",
        "candidate:123456789012345678901234567890123 1 udp 1 192.0.2.1 1 typ host|foundation is not 1-32 ice-chars",
        "candidate:a-b 1 udp 1 192.0.2.1 1 typ host|foundation is not 1-32 ice-chars",
        "candidate:1 0 udp 1 192.0.2.1 1 typ host|component id is not 1-256",
        "candidate:1 257 udp 1 192.0.2.1 1 typ host|component id is not 1-256",
        "candidate:1 1 sctp 1 192.0.2.1 1 typ host|unsupported transport",
        "candidate:1 1 udp 0 192.0.2.1 1 typ host|priority is not 1..2^32-1",
        "candidate:1 1 udp 4294967296 192.0.2.1 1 typ host|priority is not 1..2^32-1",
        "candidate:1 1 udp -5 192.0.2.1 1 typ host|priority is not 1..2^32-1",
        "candidate:1 1 udp 1 999.1.1.1 1 typ host|malformed connection address",
        "candidate:1 1 udp 1 1.2.3 1 typ host|malformed connection address",
        "candidate:1 1 udp 1 1::2::3 1 typ host|malformed connection address",
        "candidate:1 1 udp 1 bad_name 1 typ host|malformed connection address",
        "candidate:1 1 udp 1 192.0.2.1 65536 typ host|port is not 0-65535",
        "candidate:1 1 udp 1 192.0.2.1 1 type host|missing typ",
        "candidate:1 1 udp 1 192.0.2.1 1 typ mystery|unknown candidate type",
        "candidate:1 1 udp 1 192.0.2.1 1 typ host generation|extension name without value",
        "candidate:1 1 udp 1 192.0.2.1 1 typ srflx raddr x_y rport 1|malformed raddr",
        "candidate:1 1 udp 1 192.0.2.1 1 typ srflx raddr 10.0.0.1 rport 70000|malformed rport",
        "candidate:1 1 tcp 1 192.0.2.1 1 typ host tcptype sideways|unknown tcptype",
        "candidate:1 1 tcp 1 192.0.2.1 1 typ host|tcp candidate without tcptype",
    })
    void rejectsWithReason(String line, String reason) {
        CandidateParseResult result = RemoteCandidateParser.parse(line);
        assertThat(result.isAccepted()).isFalse();
        assertThat(result.candidate()).isNull();
        assertThat(result.rejectReason()).isEqualTo(reason);
    }

    @Test
    void rejectsNullLongAndCrowdedLines() {
        assertThat(RemoteCandidateParser.parse(null).rejectReason()).isEqualTo("no candidate");
        assertThat(RemoteCandidateParser.parse("candidate:" + "1 ".repeat(600)).rejectReason())
                .isEqualTo("candidate line too long");
        assertThat(RemoteCandidateParser.parse("candidate:1 1 udp 1 192.0.2.1 1 typ host" + " a b".repeat(40))
                .rejectReason()).isEqualTo("too many fields");
    }

    @Test
    void fuzzedLinesNeverThrow() {
        String[] seeds = {
            "candidate:842163049 1 udp 1677729535 203.0.113.5 49203 typ srflx raddr 10.0.0.5 rport 49203 generation 0",
            "candidate:3 1 tcp 1518280447 192.168.1.2 9 typ host tcptype active generation 0",
            "a=candidate:5 1 udp 2122262783 2001:db8::1:2 54322 typ host",
            "candidate:4 1 udp 2122260223 1f4712db-ea17-4bcf-a596-105139dfd8bf.local 54321 typ host",
        };
        String alphabet = "0123456789abcdefxyz:.-/+ \t%_typhostcandidate\u00e9\u0000";
        SplittableRandom random = new SplittableRandom(0x5EED_0003L);
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder line = new StringBuilder(seeds[random.nextInt(seeds.length)]);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && line.length() > 0; e++) {
                int at = random.nextInt(line.length());
                switch (random.nextInt(4)) {
                    case 0 -> line.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> line.deleteCharAt(at);
                    case 2 -> line.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> line.setLength(at);
                }
            }
            CandidateParseResult result = RemoteCandidateParser.parse(line.toString());
            if (result.isAccepted() == (result.rejectReason() != null)) {
                throw new AssertionError("inconsistent result for " + line);
            }
            if (result.isAccepted()) {
                accepted++;
                RemoteCandidate c = result.candidate();
                if (c.port() < 0 || c.port() > 65535 || c.priority() < 1 || c.priority() > 0xFFFFFFFFL
                        || c.component() < 1 || c.component() > 256
                        || (c.transport() == TransportKind.TCP) != (c.tcpType() != null)) {
                    throw new AssertionError("insane candidate from " + line + ": " + c);
                }
            }
        }
        assertThat(accepted).isPositive();
    }
}
